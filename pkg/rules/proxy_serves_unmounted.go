package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/caddyconf"
	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/proxyconf"
	"github.com/composelint/composelint/pkg/services"
)

var ProxyServesUnmounted = &lint.Rule{
	ID:           "proxy-serves-unmounted",
	Summary:      "the proxy does not mount the static/media volumes the app writes, or its Caddyfile's `root` points at nothing mounted",
	Severity:     lint.Warning,
	Environments: []string{"production"},
	Fixable:      true,
	Run:          proxyServesUnmounted,
	Doc: lint.Doc{
		What: "In production, reports a named volume that the app (a service that is no proxy) mounts at a static or " +
			"media path (a target with a directory named static, media, staticfiles, mediafiles, static_root… such as " +
			"/var/www/django/static) while the reverse proxy " +
			"that serves files (Caddy, nginx, Apache httpd) mounts the same volume nowhere; and a `root` directive of " +
			"the Caddyfile mounted into Caddy (`root * /var/www/django/static`, `file_server { root … }`, Caddy 1's " +
			"`root /var/www/django`) whose path no mount of the proxy provides (a mount at that path, above it or below " +
			"it). The root check is skipped when the proxy is built from a Dockerfile that is not in the project (its " +
			"image may contain the files); a path its readable Dockerfile copies in counts as provided. Traefik, " +
			"HAProxy and Envoy serve no files and are not considered. A service is a proxy as for proxy-volume-readonly.",
		Why: "The wemake-django-template serves Django's static files and uploaded media from Caddy: collectstatic " +
			"writes into the `django-static` volume, uploads go into `django-media`, and Caddy must mount both where its " +
			"Caddyfile's `root` points. When one is missing, every /static/ or /media/ request is a 404 in production " +
			"only, since in development Django serves them itself. The fix (safe) adds the missing mount, read-only " +
			"(`- NAME:TARGET:ro`), to the proxy's `volumes` in the file that defines them in production (creating the key " +
			"under the proxy when it has none); it is offered when a single file-serving proxy runs, the volume is declared " +
			"in every environment that loads that file, and the proxy mounts nothing else at that target. A `root` that " +
			"points at nothing mounted has no fix: which volume belongs there is for a person to say.",
		Example: "# docker/docker-compose.prod.yml\nservices:\n  caddy:\n    image: caddy:2.8\n    volumes:\n" +
			"      - ./docker/caddy/Caddyfile:/etc/caddy/Caddyfile\n      - django-static:/var/www/django/static:ro\n" +
			"  web:\n    volumes:\n      - django-media:/var/www/django/media\n",
		Instead: "# docker/docker-compose.prod.yml\nservices:\n  caddy:\n    image: caddy:2.8\n    volumes:\n" +
			"      - ./docker/caddy/Caddyfile:/etc/caddy/Caddyfile\n      - django-static:/var/www/django/static:ro\n" +
			"      - django-media:/var/www/django/media:ro\n  web:\n    volumes:\n      - django-media:/var/www/django/media\n",
	},
}

// proxyServesFiles are the proxy kinds that serve files from their own file system.
var proxyServesFiles = map[string]bool{"caddy": true, "nginx": true, "httpd": true}

func proxyServesUnmounted(p *lint.Pass) {
	svcs := p.Services()
	kinds := map[string]string{}
	var proxies []types.ServiceConfig
	for _, s := range svcs {
		kinds[s.Name] = services.ProxyKind(p.Project, s)
		if proxyServesFiles[kinds[s.Name]] {
			proxies = append(proxies, s)
		}
	}
	if len(proxies) == 0 {
		return
	}
	// Volumes that some file-serving proxy mounts (directly or through volumes_from).
	proxyVolumes := map[string]bool{}
	for _, px := range proxies {
		ms, _ := mounts.WithInherited(px, p.Env.Project)
		for _, m := range ms {
			if m.Kind == types.VolumeTypeVolume && m.Source != "" {
				proxyVolumes[m.Source] = true
			}
		}
	}
	proxyNames := make([]string, 0, len(proxies))
	for _, px := range proxies {
		proxyNames = append(proxyNames, px.Name)
	}
	for _, s := range svcs {
		if kinds[s.Name] != "" {
			continue
		}
		for _, v := range s.Volumes {
			if v.Type != types.VolumeTypeVolume || v.Source == "" || proxyVolumes[v.Source] || !proxyconf.AssetPath(v.Target) {
				continue
			}
			p.ReportPath(index.Path{"services", s.Name, "volumes", index.Item(v.Target)}, fmt.Sprintf(
				"%s writes %s at %s, but %s does not mount %s in production: its files would be a 404; mount it "+
					"read-only in the proxy (`%s:%s:ro`) where the proxy's config serves them",
				s.Name, v.Source, v.Target, strings.Join(proxyNames, ", "), v.Source, v.Source, v.Target),
				proxyMountFix(p, proxies, v.Source, v.Target)...)
		}
	}
	for _, px := range proxies {
		if kinds[px.Name] == "caddy" {
			caddyRootsUnmounted(p, px)
		}
	}
}

// caddyRootsUnmounted reports the `root` directives of the Caddyfile
// mounted into a Caddy service whose path no mount of the service provides.
func caddyRootsUnmounted(p *lint.Pass, px types.ServiceConfig) {
	cf, ok := caddyconf.FileOf(p, px)
	if !ok || !cf.Mounted {
		return
	}
	ms, ok := mounts.WithInherited(px, p.Env.Project)
	if !ok {
		return
	}
	var copied []string // paths the image's Dockerfile copies in
	if px.Build != nil {
		df, ok := services.Dockerfile(p.Project, px)
		if !ok {
			return // the image may hold anything
		}
		for _, c := range dockerfile.TargetCopies(df, px.Build.Target) {
			copied = append(copied, path.Clean(c.Dest))
		}
	}
	doc := caddyconf.Read(cf.File)
	seen := map[string]bool{}
	for _, r := range doc.Roots() {
		if caddyRootProvided(r.Path, ms, copied) {
			continue
		}
		key := fmt.Sprint(r.Token.Line, r.Path)
		if seen[key] {
			continue
		}
		seen[key] = true
		p.ReportRange(cf.File, caddyconf.TokenRange(cf.File, r.Token), fmt.Sprintf("`root` serves %s, but %s mounts nothing "+
			"there in production: every file under it would be a 404; mount the volume that holds these files at %s "+
			"(read-only), or fix the path", r.Path, px.Name, r.Path))
	}
}

// caddyRootProvided reports whether a mount (or a path the image copies in, or
// the image's own /usr/share/caddy) is at root, above it or below it.
func caddyRootProvided(root string, ms []mounts.Mount, copied []string) bool {
	for _, m := range ms {
		if mounts.Covers(m.Target, root) || mounts.Covers(root, m.Target) {
			return true
		}
	}
	for _, c := range append(copied, "/usr/share/caddy") {
		if mounts.Covers(c, root) || mounts.Covers(root, c) {
			return true
		}
	}
	return false
}
