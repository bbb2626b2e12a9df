package caddyconf

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/source"
)

func docOf(t *testing.T, text string) *Doc {
	t.Helper()
	d := Read(source.New("/project/Caddyfile", []byte(text)))
	if d.Err != nil {
		t.Fatalf("tokenize: %v", d.Err)
	}
	return d
}

func siteAddresses(d *Doc) []string {
	var out []string
	for _, s := range d.Sites() {
		var a []string
		for _, t := range s.Addresses {
			a = append(a, fmt.Sprintf("%s@%d", t.Text, t.Line))
		}
		out = append(out, strings.Join(a, " "))
	}
	return out
}

func TestSites(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"wemake", `# comment
{
	email {$TLS_EMAIL}
}

# "www" redirect
www.{$DOMAIN_NAME} {
	redir https://{$DOMAIN_NAME}{uri}
}

{$DOMAIN_NAME} {
	handle {
		reverse_proxy web:8000
	}
}
`, []string{"www.{$DOMAIN_NAME}@7", "{$DOMAIN_NAME}@11"}},
		{"snippets and imports are no sites", `(common) {
	encode gzip
}
&(route) {
	respond ok
}
import sites/*

a.example.com, b.example.com {
	import common
}
`, []string{"a.example.com,@9 b.example.com@9"}},
		{"addresses continued after a comma", "a.example.com,\nb.example.com {\n\trespond ok\n}\n", []string{"a.example.com,@1 b.example.com@2"}},
		{"one site without braces", "example.com\nreverse_proxy web:8000\nencode gzip\n", []string{"example.com@1"}},
		{"heredoc keeps lines", "a.com {\n\trespond <<EOF\n\tone\n\ttwo\n\tEOF 200\n}\nb.com {\n}\n", []string{"a.com@1", "b.com@7"}},
		{"empty", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := siteAddresses(docOf(t, tc.text)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("sites = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRoots(t *testing.T) {
	text := `(assets) {
	root * /var/www/assets
}

example.com {
	root /var/www/site
	root * /var/www/django/static/
	root /static/* /var/www/static
	root @media /var/www/media
	root * {$SITE_ROOT}
	root * relative/path
	handle_path /files/* {
		file_server {
			root /var/www/files
		}
	}
	php_fastcgi php:9000 {
		root /var/www/html
	}
	route {
		import assets
	}
}
`
	d := docOf(t, text)
	var got []string
	for _, r := range d.Roots() {
		got = append(got, fmt.Sprintf("%s@%d", r.Path, r.Token.Line))
	}
	want := []string{"/var/www/site@6", "/var/www/django/static@7", "/var/www/static@8", "/var/www/media@9", "/var/www/files@14", "/var/www/assets@2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("roots = %q, want %q", got, want)
	}
	r := d.Roots()[1]
	if rng := TokenRange(d.File, r.Token); rng.Start != (source.Pos{Line: 7, Col: 9}) || rng.End != (source.Pos{Line: 7, Col: 32}) {
		t.Errorf("range of the root path = %+v", rng)
	}
}

func TestImports(t *testing.T) {
	d := docOf(t, "(snip) {\n\theader -Server\n}\nimport sites/*.caddy\nexample.com {\n\timport snip\n\timport /etc/caddy/common.caddy\n}\n")
	if got, want := d.Imports(), []string{"sites/*.caddy", "/etc/caddy/common.caddy"}; !reflect.DeepEqual(got, want) {
		t.Errorf("imports = %q, want %q", got, want)
	}
}

func TestParseError(t *testing.T) {
	// Placeholders must not depend on this process's environment.
	t.Setenv("DOMAIN_NAME", "")
	for _, tc := range []struct {
		name, text string
		line       int
		msg        string // "" = parses
	}{
		{"ok", "{\n\temail {$TLS_EMAIL}\n}\nwww.{$DOMAIN_NAME} {\n\tredir https://{$DOMAIN_NAME}{uri}\n}\n{$DOMAIN_NAME} {\n\treverse_proxy web:8000\n}\n", 0, ""},
		{"unclosed block", "example.com {\n\treverse_proxy web:8000\n", 2, "unexpected token"},
		{"brace glued to the address", "example.com{\n\trespond ok\n}\n", 1, "cannot end with a curly brace"},
		{"unterminated heredoc", "a.com {\n\trespond <<EOF\n\thi\n", 3, "heredoc"},
		{"missing import file is not this file's error", "example.com {\n\timport /etc/caddy/missing.caddy\n\timport nowhere/*.caddy\n}\n", 0, ""},
		{"snippet import", "(s) {\n\tencode gzip\n}\nexample.com {\n\timport s\n}\n", 0, ""},
		{"error after a blanked import keeps its line", "import /etc/caddy/x.caddy\nexample.com {\n\t@m {\n\t\tpath /x\n\t}\n\trespond @m ok\n\tfoo {\n", 7, "EOF"},
		{"empty", "\n\n", 0, ""},
		// Caddy's message has " at " in it: the line and the message are
		// Caddy's own, not read back from its text.
		{"empty braces ending a line", "example.com {\n\theader {}\n}\n", 2, "Unexpected '{}' at end of line"},
		{"error inside an imported snippet", "(s) {\n\theader {}\n}\nexample.com {\n\timport s\n}\n", 2, "Unexpected '{}' at end of line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := source.New(filepath.Join(t.TempDir(), "Caddyfile"), []byte(tc.text))
			line, msg, bad := ParseError(f)
			if bad != (tc.msg != "") {
				t.Fatalf("bad = %v (%d %q), want %v", bad, line, msg, tc.msg != "")
			}
			if bad && (line != tc.line || !strings.Contains(msg, tc.msg)) {
				t.Errorf("got %d %q, want %d %q", line, msg, tc.line, tc.msg)
			}
			if strings.Contains(msg, f.Path) {
				t.Errorf("message names the file: %q", msg)
			}
		})
	}
}

func TestAddressWantsCert(t *testing.T) {
	for addr, want := range map[string]bool{
		"example.com":              true,
		"www.{$DOMAIN_NAME}":       true,
		"{$DOMAIN_NAME}":           true,
		"https://example.com:8443": true,
		"*.example.com":            true,
		"example.com/path":         true,
		"http://example.com":       false,
		"example.com:80":           false,
		":80":                      false,
		":443":                     false,
		"https://:8080":            false,
		"localhost":                false,
		"app.localhost":            false,
		"192.168.1.10":             false,
		"[::1]:443":                false,
		"pihole.lab":               false,
		"app.test":                 false,
		"router.home.arpa":         false,
		"app.example.dev":          true,
		"nas.local":                false,
		"web":                      false,
		"{http.request.host}":      false,
	} {
		if got := AddressWantsCert(addr); got != want {
			t.Errorf("AddressWantsCert(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestWantsPublicCerts(t *testing.T) {
	for text, want := range map[string]bool{
		"example.com {\n\trespond ok\n}\n":                                            true,
		":80 {\n\trespond ok\n}\nlocalhost {\n}\n":                                    false,
		"{\n\tauto_https off\n}\nexample.com {\n}\n":                                  false,
		"{\n\tlocal_certs\n}\nexample.com {\n}\n":                                     false,
		"example.com {\n\ttls internal\n}\n":                                          false,
		"example.com {\n\ttls /certs/cert.pem /certs/key.pem\n}\n":                    false,
		"example.com {\n\ttls admin@example.com\n}\n":                                 true,
		"example.com {\n\ttls {\n\t\tissuer internal\n\t}\n}\n":                       false,
		"https://:443 {\n\ttls {\n\t\ton_demand\n\t}\n}\n":                            true,
		"example.com\nreverse_proxy web:8000\n":                                       true,
		"http://example.com, example.com:80 {\n}\nexample.org {\n\ttls internal\n}\n": false,
	} {
		if got := docOf(t, text).WantsPublicCerts(); got != want {
			t.Errorf("WantsPublicCerts(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestStorage(t *testing.T) {
	for text, want := range map[string]string{
		"example.com {\n}\n":                                        "ok:",
		"{\n\tstorage file_system /certs/\n}\n":                     "ok:/certs",
		"{\n\tstorage file_system {\n\t\troot /srv/caddy\n\t}\n}\n": "ok:/srv/caddy",
		"{\n\tstorage redis {\n\t\thost redis\n\t}\n}\n":            "not:",
		"{\n\tstorage file_system {$DIR}\n}\n":                      "not:",
	} {
		dir, ok := docOf(t, text).Storage()
		got := map[bool]string{true: "ok:", false: "not:"}[ok] + dir
		if got != want {
			t.Errorf("Storage(%q) = %s, want %s", text, got, want)
		}
	}
}

func TestImageMajor(t *testing.T) {
	for img, want := range map[string]int{
		"caddy":                                 2,
		"caddy:latest":                          2,
		"caddy:alpine":                          2,
		"caddy:2":                               2,
		"caddy:2.6.4":                           2,
		"caddy:2.8-builder":                     2,
		"caddy:builder-alpine":                  2,
		"docker.io/library/caddy:2-alpine":      2,
		"ghcr.io/example/caddy:2.7.6":           2,
		"caddy@sha256:0123":                     2,
		"caddy:1.0.4":                           1,
		"caddy:0.11.0":                          1,
		"abiosoft/caddy":                        1,
		"abiosoft/caddy:latest":                 1,
		"wemakeservices/caddy-docker:0.10.10-1": 1,
		"stefanprodan/caddy":                    0,
		"sourcegraph/caddy:6.1.2889":            0,
		"lucaslorentz/caddy-docker-proxy:2.9":   0,
		"wemakeservices/caddy-gen:latest":       0,
		"nginx:1.27":                            0,
	} {
		if got := imageMajor(img); got != want {
			t.Errorf("imageMajor(%q) = %d, want %d", img, got, want)
		}
	}
}

func TestStartOf(t *testing.T) {
	for _, tc := range []struct {
		name        string
		ep, cmd     []string
		workdir     string
		known       bool
		sub, config string
	}{
		{"image default", nil, nil, "", true, "run", "/etc/caddy/Caddyfile"},
		{"run with config", nil, []string{"caddy", "run", "--config", "/srv/Caddyfile", "--adapter", "caddyfile"}, "", true, "run", "/srv/Caddyfile"},
		{"config with =", nil, []string{"caddy", "run", "--config=/x/Caddyfile"}, "", true, "run", "/x/Caddyfile"},
		{"run without config reads ./Caddyfile", nil, []string{"caddy", "run"}, "", true, "run", "/srv/Caddyfile"},
		{"working_dir", nil, []string{"caddy", "run", "--config", "conf/Caddyfile"}, "/app", true, "run", "/app/conf/Caddyfile"},
		{"json adapter without config", nil, []string{"caddy", "run", "--adapter", "json"}, "", false, "", ""},
		{"reverse-proxy", nil, []string{"/usr/bin/caddy", "reverse-proxy", "--from", ":2016", "--to", "web:80"}, "", true, "reverse-proxy", ""},
		{"shell script", []string{"sh", "-c"}, []string{"caddy fmt --overwrite /etc/caddy/Caddyfile && caddy run --config '/etc/caddy/Caddyfile'"}, "", true, "run", "/etc/caddy/Caddyfile"},
		{"shell script, flags end at a separator", []string{"/bin/sh", "-c"}, []string{"caddy run; echo --config /x"}, "", true, "run", "/srv/Caddyfile"},
		{"entrypoint script", []string{"/docker-entrypoint.sh"}, nil, "", false, "", ""},
		{"plugin subcommand", nil, []string{"caddy", "docker-proxy"}, "", false, "", ""},
		{"bare caddy", nil, []string{"caddy"}, "", false, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc := types.ServiceConfig{Name: "caddy"}
			svc.Image, svc.Entrypoint, svc.Command, svc.WorkingDir = "caddy:2", tc.ep, tc.cmd, tc.workdir
			st := StartOf(&lint.Project{Dir: "/project"}, svc)
			if st.Known != tc.known || st.Known && (st.Sub != tc.sub || st.Config != tc.config) {
				t.Errorf("got %+v, want known=%v sub=%q config=%q", st, tc.known, tc.sub, tc.config)
			}
		})
	}
}

func TestCaddyfileMounts(t *testing.T) {
	svc := types.ServiceConfig{Name: "caddy"}
	svc.Volumes = []types.ServiceVolumeConfig{
		{Type: "bind", Source: "/project/docker/caddy", Target: "/etc/caddy"},
		{Type: "bind", Source: "/project/site.caddyfile", Target: "/srv/site.caddyfile"},
		{Type: "volume", Source: "caddy-data", Target: "/data"},
	}
	svc.Configs = []types.ServiceConfigObjConfig{{Source: "caddyfile", Target: "/etc/caddy/extra/Caddyfile"}}
	proj := &types.Project{Configs: types.Configs{"caddyfile": {File: "/project/conf/Caddyfile"}}}
	var names []string
	for _, m := range CaddyfileMounts(mounts.Of(svc, proj)) {
		names = append(names, m.Target)
	}
	if want := []string{"/srv/site.caddyfile", "/etc/caddy/extra/Caddyfile"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Caddyfile mounts = %q, want %q", names, want)
	}
}

func TestCaddyfileName(t *testing.T) {
	for name, want := range map[string]bool{
		"Caddyfile": true, "/x/caddyfile": true, "Caddyfile.prod": true, "site.caddyfile": true, "headers.Caddyfile": true,
		"Caddyfile.d": true, "caddy.json": false, "Caddyfiles": false, "/etc/caddy": false,
	} {
		if got := isCaddyfileName(name); got != want {
			t.Errorf("isCaddyfileName(%q) = %v, want %v", name, got, want)
		}
	}
}

// FuzzDoc checks that reading any Caddyfile never panics.
func FuzzDoc(f *testing.F) {
	for _, s := range []string{
		"{\n\temail a@b.c\n}\nwww.{$D} {\n\tredir https://{$D}{uri}\n}\n",
		"(s) {\n\troot * /x\n}\na.com,\nb.com {\n\timport s\n\thandle {\n\t\tfile_server {\n\t\t\troot /y\n\t\t}\n\t}\n}\n",
		"a.com\nroot /srv\n}\n}\n{\n",
		"a.com {\n\trespond <<EOF\n\tx\n\tEOF\n}\n",
		"import x\n{\n\tstorage file_system {\n\t\troot\n\t}\n}\n",
		"\"quoted {\" {\n}\n`x` {\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src := source.New("/project/Caddyfile", []byte(s))
		d := Read(src)
		for _, site := range d.Sites() {
			for _, a := range site.Addresses {
				AddressWantsCert(a.Text)
				TokenRange(src, a)
			}
		}
		for _, r := range d.Roots() {
			TokenRange(src, r.Token)
		}
		d.Imports()
		d.WantsPublicCerts()
		d.Storage()
		ParseError(src)
	})
}

func TestHTTPS(t *testing.T) {
	for _, tc := range []struct {
		text, tls, plain string
		ok               bool
	}{
		{"example.com {\n}\n", "example.com", "", true},
		{":80 {\n}\nexample.com {\n}\n", "example.com", ":80", true},
		{"http://example.com {\n}\n", "", "http://example.com", true},
		{"{\n\tauto_https off\n}\nexample.com {\n}\n", "", "example.com", true},
		{"{\n\tauto_https off\n}\nexample.com {\n\ttls /c.pem /k.pem\n}\n", "example.com", "", true},
		{"{\n\tservers {\n\t\ttrusted_proxies static private_ranges\n\t}\n}\n:80 {\n}\n", "", "", false},
		{"(snippet) {\n}\n", "", "", false},
	} {
		tls, plain, ok := docOf(t, tc.text).HTTPS()
		got := ""
		if tls != nil {
			got = tls.Text
		}
		if ok != tc.ok || got != tc.tls || plain.Text != tc.plain {
			t.Errorf("%q: HTTPS = %q %q %v, want %q %q %v", tc.text, got, plain.Text, ok, tc.tls, tc.plain, tc.ok)
		}
	}
}
