// Package proxyconf tells what a reverse proxy's own configuration says it
// serves from its file system (a Caddyfile's `root`, nginx's `root` and
// `alias`, Apache's `DocumentRoot`, or the image's default document root):
// the evidence that a volume the proxy mounts is read by it, not written.
package proxyconf

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/caddyconf"
	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/nginxconf"
	"github.com/composelint/composelint/pkg/services"
)

// defaultRoots are the directories an image serves with its own default
// configuration.
var defaultRoots = map[string]string{
	"nginx": "/usr/share/nginx/html",
	"httpd": "/usr/local/apache2/htdocs",
	"caddy": "/usr/share/caddy",
}

// ServesPath reports whether the proxy's configuration serves files
// from container path target (a root or alias at target, above it or below
// it): its Caddyfile's `root` directives; the `root`/`alias` (nginx) or
// `DocumentRoot`/`Alias` (Apache httpd) of the configuration files it mounts
// or its Dockerfile copies in; or, when it is given none, the image's default
// document root.
func ServesPath(p *lint.Pass, svc types.ServiceConfig, kind, target string) bool {
	var roots []string
	switch kind {
	case "caddy":
		if cf, ok := caddyconf.FileOf(p, svc); ok {
			for _, r := range caddyconf.Read(cf.File).Roots() {
				roots = append(roots, r.Path)
			}
		} else if svc.Build == nil {
			roots = append(roots, defaultRoots[kind])
		}
	case "nginx", "httpd":
		texts, own := configTexts(p, svc, kind)
		for _, t := range texts {
			roots = append(roots, configRoots(t, kind)...)
		}
		if !own && svc.Build == nil {
			roots = append(roots, defaultRoots[kind])
		}
	}
	for _, r := range roots {
		if !path.IsAbs(r) {
			continue
		}
		r = path.Clean(r)
		if mounts.Covers(r, target) || mounts.Covers(target, r) {
			return r != "/"
		}
	}
	return false
}

// ConfDirs are where nginx and httpd images read their configuration.
var ConfDirs = []string{"/etc/nginx", "/usr/local/openresty/nginx/conf", "/usr/local/apache2/conf", "/etc/apache2", "/etc/httpd"}

// configTexts returns the configuration files of an nginx or httpd
// service that the project holds: bind-mounted into its configuration
// directories (a file, or the *.conf files of a directory), or copied there
// by its Dockerfile. own is true when the service is given configuration of
// its own, readable or not (then the image's default no longer applies).
func configTexts(p *lint.Pass, svc types.ServiceConfig, kind string) (texts []string, own bool) {
	inConfDir := func(target string) bool {
		for _, d := range ConfDirs {
			if mounts.Covers(d, target) {
				return true
			}
		}
		return strings.HasSuffix(target, ".conf")
	}
	read := func(host string) {
		st, err := os.Stat(host)
		if err != nil {
			return
		}
		if !st.IsDir() {
			if f, err := p.Project.ReadFile(host); err == nil && f != nil {
				texts = append(texts, string(f.Content))
			}
			return
		}
		entries, err := os.ReadDir(host)
		if err != nil {
			return
		}
		for i, e := range entries {
			if i >= 64 {
				break
			}
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				if f, err := p.Project.ReadFile(filepath.Join(host, e.Name())); err == nil && f != nil {
					texts = append(texts, string(f.Content))
				}
			}
		}
	}
	if p.Project.ReadFile == nil {
		return nil, false
	}
	for _, m := range mounts.Of(svc, p.Env.Project) {
		if (m.Kind == "bind" || m.Kind == "config") && m.Source != "" && inConfDir(m.Target) {
			own = true
			read(m.Source)
		}
	}
	if svc.Build != nil {
		if df, ok := services.Dockerfile(p.Project, svc); ok {
			for _, c := range dockerfile.TargetCopies(df, svc.Build.Target) {
				if !inConfDir(path.Clean(c.Dest)) {
					continue
				}
				own = true
				for _, src := range c.Sources {
					if !strings.ContainsAny(src, "*?[$") && !strings.Contains(src, "://") {
						read(filepath.Join(svc.Build.Context, filepath.FromSlash(src)))
					}
				}
			}
		}
	}
	return texts, own
}

// configRoots returns the file system paths a configuration of kind
// ("nginx" or "httpd") serves from; a path given by a variable
// ($document_root/media) is skipped.
func configRoots(text, kind string) []string {
	var roots []string
	if kind == "nginx" {
		roots = nginxRoots(nginxconf.Parse([]byte(text)))
	} else {
		for _, m := range httpdRootRE.FindAllStringSubmatch(text, -1) {
			roots = append(roots, m[1])
		}
	}
	var out []string
	for _, r := range roots {
		if strings.HasPrefix(r, "/") && !strings.Contains(r, "$") {
			out = append(out, r)
		}
	}
	return out
}

// nginxRoots returns the paths of the `root` and `alias` directives, at any
// depth and wherever they stand on a line (`location /s/ { alias /srv/s/; }`).
func nginxRoots(dirs []*nginxconf.Directive) []string {
	var out []string
	for _, d := range dirs {
		if len(d.Words) == 2 && (d.Words[0].Text == "root" || d.Words[0].Text == "alias") {
			out = append(out, d.Words[1].Text)
		}
		out = append(out, nginxRoots(d.Block)...)
	}
	return out
}

// httpdRootRE matches Apache httpd's `DocumentRoot /path` and
// `Alias /url /path` (directive names are case-insensitive; a directive
// is one line).
var httpdRootRE = regexp.MustCompile(`(?im)^[ \t]*(?:DocumentRoot|Alias[ \t]+\S+)[ \t]+["']?([^"'\s]+)`)

// assetSegmentRE matches the directory names Django and friends give to
// collected static files and uploaded media: static, media, staticfiles,
// mediafiles, static_root, media-files, collected_static, .media (mathesar).
var assetSegmentRE = regexp.MustCompile(`^\.?(collected[-_]?)?(static|media)([-_]?(files|root|collected))?$`)

// AssetPath reports whether a container path holds static or media files:
// one of its path segments is such a name (/var/www/django/static,
// /home/app/web/staticfiles; not /var/lib/mediawiki).
func AssetPath(target string) bool {
	for _, seg := range strings.Split(strings.ToLower(path.Clean(target)), "/") {
		if assetSegmentRE.MatchString(seg) {
			return true
		}
	}
	return false
}
