package rules

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/imageref"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/proxyconf"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/source"
	"github.com/composelint/composelint/pkg/yamledit"
)

var ProxyVolumeReadonly = &lint.Rule{
	ID:       "proxy-volume-readonly",
	Summary:  "a reverse proxy mounts a volume that the app writes without `:ro`",
	Severity: lint.Warning,
	Fixable:  true,
	Run:      proxyVolumeReadonly,
	Doc: lint.Doc{
		What: "Reports a reverse proxy (Caddy, nginx, Traefik, HAProxy, Apache httpd, Envoy) that mounts writable what " +
			"another service (the app) also mounts writable: a named volume, or a host directory (`./public/static`) that " +
			"is the app's or lies in one the app mounts. The app writes the files (static files, uploaded media), the " +
			"proxy only serves them. The message names the services that write, the proxy's upstreams (its " +
			"`depends_on`) first. A service is a proxy by its image, by the FROM image of its Dockerfile, or, when neither " +
			"is known (a build whose Dockerfile is not in the project, an image name with a template placeholder), by the " +
			"proxy's name in the service name or the Dockerfile path (`caddy:` built from ./docker/caddy/Dockerfile). " +
			"What the proxy writes itself is not reported: logs and caches (/var/log, /var/cache, /var/lib/nginx, /tmp, " +
			"/run), Caddy's /data and /config, and certificate stores (a path naming letsencrypt, acme, acme.json, " +
			"certbot, certs, ssl or tls), which the proxy or its ACME client writes; nor a volume that an ACME client " +
			"(certbot, acme-companion, acme.sh, lego) shares with it. A mount the other service has read-only is written " +
			"by the proxy, and is not reported either.",
		Why: "The wemake-django-template production checklist mounts `django-static` and `django-media` into Caddy only " +
			"to serve them. A writable mount lets a compromised or misconfigured proxy change or delete the app's files " +
			"(the media users uploaded); read-only states the intent and costs nothing. The fix adds `:ro` (short syntax) " +
			"or `read_only: true` (long syntax). It is safe when the proxy's configuration serves files from the mount (a " +
			"Caddyfile `root`, an nginx `root` or `alias`, an Apache `DocumentRoot` or `Alias`, or the image's default " +
			"document root such as /usr/share/nginx/html when it is given no configuration of its own); otherwise only the " +
			"mount's name says that the proxy reads it, and the fix is unsafe.",
		Example: "services:\n  web:\n    image: myapp\n    volumes:\n      - django-static:/var/www/django/static\n" +
			"  caddy:\n    image: caddy:2.8\n    volumes:\n      - django-static:/var/www/django/static\nvolumes:\n  django-static:\n",
		Instead: "services:\n  web:\n    image: myapp\n    volumes:\n      - django-static:/var/www/django/static\n" +
			"  caddy:\n    image: caddy:2.8\n    volumes:\n      - django-static:/var/www/django/static:ro\nvolumes:\n  django-static:\n",
	},
}

func proxyVolumeReadonly(p *lint.Pass) {
	svcs := p.Services()
	kinds := map[string]string{}
	for _, s := range svcs {
		kinds[s.Name] = services.ProxyKind(p.Project, s)
	}
	for _, proxy := range svcs {
		kind := kinds[proxy.Name]
		if kind == "" {
			continue
		}
		for _, v := range proxy.Volumes {
			if (v.Type != types.VolumeTypeVolume && v.Type != types.VolumeTypeBind) || v.Source == "" || v.ReadOnly || v.Target == "" {
				continue
			}
			target := path.Clean(v.Target)
			if proxyWritesPath(kind, target) || proxyCertStore(target) {
				continue
			}
			// A host directory counts when the proxy serves it: its config
			// serves the path, or the path holds static or media files (not
			// the proxy's own configuration, which installers write).
			if v.Type == types.VolumeTypeBind && (proxyConfigPath(target) ||
				!proxyconf.AssetPath(target) && !proxyconf.ServesPath(p, proxy, kind, target)) {
				continue
			}
			if writers := proxyVolumeWriters(p, svcs, kinds, proxy, v); len(writers) > 0 {
				proxyReportWritable(p, proxy, kind, v, writers)
			}
		}
	}
}

// proxyReportWritable reports a proxy's writable mount of what writers write.
// The fix is safe when the proxy's configuration serves files from the mount
// (it reads them); when only the mount's name suggests it, the fix is unsafe.
func proxyReportWritable(p *lint.Pass, proxy types.ServiceConfig, kind string, v types.ServiceVolumeConfig, writers []string) {
	name := v.Source
	if v.Type == types.VolumeTypeBind {
		name = source.Rel(p.Project.Dir, v.Source)
		if !strings.HasPrefix(name, "/") {
			name = "./" + name
		}
	}
	var who string
	switch len(writers) {
	case 1:
		who = writers[0] + " writes"
	case 2:
		who = writers[0] + " and " + writers[1] + " write"
	default:
		who = fmt.Sprintf("%s and %d other services write", writers[0], len(writers)-1)
	}
	target := path.Clean(v.Target)
	ip := index.Path{"services", proxy.Name, "volumes", index.Item(v.Target)}
	what := "what " + writers[0] + " writes"
	if len(writers) > 1 {
		what = "what they write"
	}
	msg := fmt.Sprintf("%s mounts %s writable, and %s to it; mount it read-only in the proxy "+
		"(`:ro`, or `read_only: true` in the long syntax): the proxy only serves %s there", proxy.Name, name, who, what)
	var fixes []lint.Fix
	if def, _ := p.Env.Index.Lookup(ip); def != nil && def.Value != nil && yamledit.InService(def.File, def.Value, proxy.Name) {
		if edits := roFixEdits(def.File, def.Value); len(edits) > 0 {
			fx := lint.Fix{
				Message: "mount " + name + " read-only in " + proxy.Name, Safety: lint.Safe, Edits: edits,
				Affects: []string{"services." + proxy.Name + ".volumes"},
			}
			if !proxyconf.ServesPath(p, proxy, kind, target) {
				fx.Safety = lint.Unsafe
				fx.Message += " (its configuration does not show that it serves " + target + ": check that it never writes there)"
			}
			fixes = append(fixes, fx)
		}
	}
	p.ReportPath(ip, msg, fixes...)
}

// proxyVolumeWriters returns the services that mount what the proxy mounts
// at v writable (the same named volume; for a bind mount, the same host
// directory or one containing it): first those the proxy depends on (its
// upstreams, which write what it serves), then the others by name. None when
// one of them is an ACME client or keeps certificates there: the proxy may
// write such a volume itself.
func proxyVolumeWriters(p *lint.Pass, svcs []types.ServiceConfig, kinds map[string]string, proxy types.ServiceConfig, v types.ServiceVolumeConfig) []string {
	var upstreams, others []string
	for _, other := range svcs {
		if other.Name == proxy.Name || kinds[other.Name] != "" {
			continue
		}
		for _, ov := range other.Volumes {
			if ov.ReadOnly || !proxySameStorage(p, v, ov) {
				continue
			}
			if proxyCertStore(path.Clean(ov.Target)) || proxyIsACMEClient(p, other) {
				return nil
			}
			if _, ok := proxy.DependsOn[other.Name]; ok {
				upstreams = append(upstreams, other.Name)
			} else {
				others = append(others, other.Name)
			}
			break
		}
	}
	return append(upstreams, others...)
}

// proxySameStorage tells whether another service's mount ov holds what the
// proxy's mount v shows: the same named volume, or the same host directory
// or one containing it (not the project's source tree, which development
// mounts into the app, and not a single file such as a config).
func proxySameStorage(p *lint.Pass, v, ov types.ServiceVolumeConfig) bool {
	if v.Type != ov.Type || ov.Source == "" {
		return false
	}
	if v.Type == types.VolumeTypeVolume {
		return v.Source == ov.Source
	}
	src, osrc := filepath.Clean(v.Source), filepath.Clean(ov.Source)
	if !mounts.Covers(osrc, src) || mounts.HoldsProject(p.Project.Dir, osrc) {
		return false
	}
	if st, err := os.Stat(src); err == nil {
		return st.IsDir()
	}
	return path.Ext(filepath.Base(src)) == "" // not there yet: a directory unless named like a file
}

// proxyConfigPath tells whether a container path is in a proxy's
// configuration directories (or is a configuration file).
func proxyConfigPath(target string) bool {
	for _, d := range append([]string{"/etc/caddy", "/etc/traefik", "/usr/local/etc/haproxy", "/etc/envoy"}, proxyconf.ConfDirs...) {
		if mounts.Covers(d, target) {
			return true
		}
	}
	return strings.HasSuffix(target, ".conf")
}

// proxyWritesPath reports whether a proxy of this kind writes to a
// container path itself: logs, caches, Caddy's state.
func proxyWritesPath(kind, target string) bool {
	for _, dir := range []string{"/var/log", "/var/cache", "/tmp", "/run", "/var/run", "/var/lib/nginx"} {
		if mounts.Covers(dir, target) {
			return true
		}
	}
	return kind == "caddy" && (mounts.Covers("/data", target) || mounts.Covers("/config", target) ||
		strings.HasPrefix(target, "/root/.caddy") || strings.HasPrefix(target, "/root/.local/share/caddy"))
}

// proxyCertWords name the directories and files where TLS certificates, keys
// and ACME state live.
var proxyCertWords = []string{"letsencrypt", "acme", "acme.json", "acme.sh", "certbot", "cert", "certs", "certificates", "ssl", "tls", "dehydrated"}

// proxyCertStore tells whether a container path holds certificates, which
// the proxy or its ACME client writes: a path segment is one of
// proxyCertWords, alone or joined to another word by - or _.
func proxyCertStore(target string) bool {
	for _, seg := range strings.Split(strings.ToLower(target), "/") {
		for _, part := range strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '_' }) {
			for _, w := range proxyCertWords {
				if part == w {
					return true
				}
			}
		}
	}
	return false
}

// proxyIsACMEClient tells whether a service obtains certificates: its image
// is an ACME client (certbot, acme-companion, acme.sh, lego…), or its command
// runs one.
func proxyIsACMEClient(p *lint.Pass, svc types.ServiceConfig) bool {
	for _, img := range services.BaseImages(p.Project, svc) {
		repo := imageref.Repo(img)
		if strings.Contains(repo, "certbot") || strings.Contains(repo, "letsencrypt") || strings.Contains(repo, "acme") ||
			repo == "lego" || repo == "dehydrated" {
			return true
		}
	}
	cmd := strings.ToLower(strings.Join(append(append([]string{}, svc.Entrypoint...), svc.Command...), " "))
	return strings.Contains(cmd, "certbot") || strings.Contains(cmd, "acme.sh") || strings.Contains(cmd, "lego ")
}

// roFixEdits returns the edits that make a volume entry read-only:
// `:ro` (or rw -> ro) in the short syntax, `read_only: true` in the long
// one. nil when the entry's text cannot be edited safely.
func roFixEdits(f *source.File, n *yaml.Node) []lint.TextEdit {
	switch n.Kind {
	case yaml.ScalarNode:
		return roFixShortEdits(f, n)
	case yaml.MappingNode:
		return roFixLongEdits(f, n)
	}
	return nil
}

func roFixShortEdits(f *source.File, n *yaml.Node) []lint.TextEdit {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || n.ShortTag() != "!!str" {
		return nil
	}
	r := f.Span(n)
	start, end := f.Offset(r.Start), f.Offset(r.End)
	if start >= end || end > len(f.Content) {
		return nil
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		start, end = start+1, end-1
	}
	if start > end || string(f.Content[start:end]) != n.Value {
		return nil // escapes or folding: the text is not the value as written
	}
	raw := n.Value
	parts := strings.Split(raw, ":")
	vol, err := format.ParseVolume(raw)
	if err != nil || len(parts) < 2 {
		return nil
	}
	// With a mode field, the last colon-separated part holds the options.
	last := parts[len(parts)-1]
	hasMode := false
	for _, o := range strings.Split(last, ",") {
		switch o {
		case "rw", "ro", "z", "Z", "nocopy", "shared", "rshared", "slave", "rslave", "private", "rprivate", "delegated", "cached", "consistent":
			hasMode = true
		}
	}
	if !hasMode || path.Clean(last) == path.Clean(vol.Target) {
		return []lint.TextEdit{{File: f, Start: end, End: end, NewText: ":ro"}}
	}
	lastStart := end - len(last)
	opts := strings.Split(last, ",")
	for i, o := range opts {
		if o == "rw" {
			opts[i] = "ro"
			return []lint.TextEdit{{File: f, Start: lastStart, End: end, NewText: strings.Join(opts, ",")}}
		}
	}
	return []lint.TextEdit{{File: f, Start: lastStart, End: lastStart, NewText: "ro,"}}
}

func roFixLongEdits(f *source.File, n *yaml.Node) []lint.TextEdit {
	if len(n.Content) < 2 {
		return nil
	}
	if _, v := yamledit.Lookup(n, "read_only"); v != nil {
		r := f.Span(v)
		return []lint.TextEdit{{File: f, Start: f.Offset(r.Start), End: f.Offset(r.End), NewText: "true"}}
	}
	if n.Style&yaml.FlowStyle != 0 {
		r := f.Span(n)
		end := f.Offset(r.End)
		if end == 0 || end > len(f.Content) || f.Content[end-1] != '}' || r.Start.Line != r.End.Line {
			return nil
		}
		return []lint.TextEdit{{File: f, Start: end - 1, End: end - 1, NewText: ", read_only: true"}}
	}
	// Block mapping: a new line after the entry's last line, indented as its first key.
	firstKey := n.Content[0]
	lastLine := 0
	var walk func(*yaml.Node)
	walk = func(x *yaml.Node) {
		if x.Line > lastLine {
			lastLine = x.Line
		}
		for _, c := range x.Content {
			walk(c)
		}
	}
	walk(n)
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode && c.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return nil // a block scalar's last line is not its node's line
		}
	}
	indent := strings.Repeat(" ", firstKey.Column-1)
	if strings.ContainsRune(f.Line(firstKey.Line)[:min(len(f.Line(firstKey.Line)), firstKey.Column-1)], '\t') {
		return nil
	}
	nl := "\n" // the fix engine writes the file's own line endings
	next := f.Offset(source.Pos{Line: lastLine + 1, Col: 1})
	if next >= len(f.Content) && (len(f.Content) == 0 || f.Content[len(f.Content)-1] != '\n') {
		return []lint.TextEdit{{File: f, Start: len(f.Content), End: len(f.Content), NewText: nl + indent + "read_only: true"}}
	}
	return []lint.TextEdit{{File: f, Start: next, End: next, NewText: indent + "read_only: true" + nl}}
}
