package proxyconf

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
)

func TestConfigRoots(t *testing.T) {
	for _, c := range []struct {
		name, kind, conf string
		want             []string
	}{
		{"nginx", "nginx", `server {
    root /var/www/html;
    location /static/ {
        alias "/var/www/static/";
    }
    location /media/ {
        alias $document_root/media;
    }
    # root /commented/out;
    location /m/ { alias /srv/m/; }
}
`, []string{"/var/www/html", "/var/www/static/", "/srv/m/"}},
		{"nginx reads no Apache", "nginx", "DocumentRoot /usr/local/apache2/site\n", nil},
		{"httpd", "httpd", `<VirtualHost *:80>
    DocumentRoot /usr/local/apache2/site
    Alias /static /srv/static
    alias "/media" "/srv/media"
    # Alias /old /srv/old
</VirtualHost>
`, []string{"/usr/local/apache2/site", "/srv/static", "/srv/media"}},
		{"an httpd Alias without a path", "httpd", "Alias /static\nDocumentRoot /srv/www\n", []string{"/srv/www"}},
	} {
		if got := configRoots(c.conf, c.kind); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: configRoots = %q, want %q", c.name, got, c.want)
		}
	}
}

// pass checks a project in dir whose environment runs svc.
func pass(dir string, svc types.ServiceConfig) *lint.Pass {
	proj := &types.Project{Services: types.Services{svc.Name: svc}}
	read := func(p string) (*source.File, error) {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		return source.New(p, b), nil
	}
	return &lint.Pass{Project: &lint.Project{Dir: dir, ReadFile: read}, Env: &load.Result{Project: proj}}
}

func TestServesPath(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte("server {\n  location /static/ {\n    alias /srv/static/;\n  }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plain := types.ServiceConfig{Name: "nginx"}
	plain.Image = "nginx"
	configured := plain
	configured.Volumes = []types.ServiceVolumeConfig{{Type: "bind", Source: conf, Target: "/etc/nginx/conf.d/default.conf"}}
	caddy := types.ServiceConfig{Name: "caddy"}
	caddy.Image = "caddy:2"
	for _, tc := range []struct {
		name   string
		svc    types.ServiceConfig
		kind   string
		target string
		want   bool
	}{
		{"the image's default root", plain, "nginx", "/usr/share/nginx/html", true},
		{"below the default root", plain, "nginx", "/usr/share/nginx/html/static", true},
		{"elsewhere", plain, "nginx", "/srv/static", false},
		{"a mounted configuration's alias", configured, "nginx", "/srv/static", true},
		{"a configuration of its own replaces the default", configured, "nginx", "/usr/share/nginx/html", false},
		{"caddy without Caddyfile serves its default root", caddy, "caddy", "/usr/share/caddy", true},
		{"a proxy of another kind", plain, "traefik", "/usr/share/nginx/html", false},
	} {
		if got := ServesPath(pass(dir, tc.svc), tc.svc, tc.kind, tc.target); got != tc.want {
			t.Errorf("%s: ServesPath(%s) = %v, want %v", tc.name, tc.target, got, tc.want)
		}
	}
}

func TestAssetPath(t *testing.T) {
	for p, want := range map[string]bool{
		"/var/www/django/static": true, "/home/app/web/staticfiles": true, "/app/media_root": true,
		"/srv/collected-static/css": true, "/code/.media": true, "/var/lib/mediawiki": false, "/usr/share/nginx/html": false, "/statistics": false,
	} {
		if got := AssetPath(p); got != want {
			t.Errorf("AssetPath(%s) = %v, want %v", p, got, want)
		}
	}
}
