package rules

import (
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/caddyconf"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/source"
)

var CaddyfileNotLoaded = &lint.Rule{
	ID:       "caddyfile-not-loaded",
	Summary:  "Caddy v2 is given the project's Caddyfile where it does not read it, or a Caddyfile that is missing or does not parse",
	Severity: lint.Error,
	Run:      caddyfileNotLoaded,
	Doc: lint.Doc{
		What: "Reports, for a Caddy v2 service (image `caddy:2…`, `caddy:latest`, `caddy` or a Dockerfile FROM one of " +
			"them; not the Caddy 0.x/1.x images such as abiosoft/caddy, which read /etc/Caddyfile), a bind mount or " +
			"config of a file named Caddyfile (or Caddyfile.*, *.caddyfile) whose target is not the file Caddy loads: " +
			"/etc/caddy/Caddyfile for the image's own command, the `--config` of a `caddy run` command, ./Caddyfile in " +
			"the working directory for `caddy run` without `--config`, nothing for `caddy reverse-proxy` or " +
			"`caddy file-server`. A file that the loaded Caddyfile imports is loaded too. It also reports a mounted " +
			"Caddyfile of the project that does not exist (Docker would create an empty directory in its place) or " +
			"that Caddy's parser rejects (at the line of the error).",
		Why: "Caddy v2 ignores a Caddyfile anywhere else and serves its default welcome page on port 80: no HTTPS, no " +
			"proxy to the app, and nothing in the logs says why. The wemake-django-template mounted it at /srv/Caddyfile " +
			"for a while (2023). A missing source turns into an empty directory on the host, and a syntax error stops " +
			"Caddy at start: both are found before deploying.",
		Example: "services:\n  caddy:\n    image: caddy:2.6.4\n    volumes:\n      - ./docker/caddy/Caddyfile:/srv/Caddyfile\n" +
			"      - caddy-data:/data\nvolumes:\n  caddy-data:\n",
		Instead: "services:\n  caddy:\n    image: caddy:2.6.4\n    volumes:\n      - ./docker/caddy/Caddyfile:/etc/caddy/Caddyfile\n" +
			"      - caddy-data:/data\nvolumes:\n  caddy-data:\n",
	},
}

func caddyfileNotLoaded(p *lint.Pass) {
	for _, svc := range p.Services() {
		if caddyconf.Major(p.Project, svc) != 2 {
			continue
		}
		ms := mounts.Of(svc, p.Env.Project)
		cfMounts := caddyconf.CaddyfileMounts(ms)
		if len(cfMounts) == 0 {
			continue
		}
		st := caddyconf.StartOf(p.Project, svc)
		loaded := caddyLoadedFiles(p, svc, st, ms)
		for _, m := range cfMounts {
			inProject := source.Within(p.Project.Dir, m.Source)
			f, err := caddyReadFile(p, m.Source)
			if inProject && err != nil {
				what := "does not exist"
				if st, serr := os.Stat(m.Source); serr == nil && st.IsDir() {
					what = "is a directory"
				}
				p.ReportPath(m.Path, fmt.Sprintf("%s mounts %s, which %s; create the Caddyfile there or fix the path "+
					"(Docker would mount an empty directory, and Caddy would not start)", svc.Name, caddyRelPath(p, m.Source), what))
				continue
			}
			if st.Known && !loaded.covers(m.Target) {
				p.ReportPath(m.Path, caddyNotLoadedMessage(svc, st, m, caddyRelPath(p, m.Source)))
				continue
			}
			if inProject && f != nil {
				if line, msg, bad := caddyconf.ParseError(f); bad {
					text := fmt.Sprintf("%s does not parse: %s; Caddy would not start: fix the syntax", caddyRelPath(p, m.Source), msg)
					if line > 0 {
						p.ReportRange(f, f.LineRange(line), text)
					} else {
						p.ReportPath(m.Path, text)
					}
				}
			}
		}
	}
}

func caddyNotLoadedMessage(svc types.ServiceConfig, st caddyconf.Start, m mounts.Mount, src string) string {
	switch {
	case st.Config == "":
		return fmt.Sprintf("%s runs `caddy %s`, which reads no Caddyfile, so %s (mounted at %s) is ignored; "+
			"run `caddy run --config %s --adapter caddyfile`, or drop the mount", svc.Name, st.Sub, src, m.Target, m.Target)
	case st.Default:
		return fmt.Sprintf("%s mounts %s at %s, but Caddy v2 reads %s: it would serve its default page instead; "+
			"mount it at %s (or pass `--config %s` in the command)", svc.Name, src, m.Target, caddyconf.DefaultConfig, caddyconf.DefaultConfig, m.Target)
	default:
		return fmt.Sprintf("%s mounts %s at %s, but its command loads %s: the mounted file is ignored; "+
			"mount it at %s or pass `--config %s`", svc.Name, src, m.Target, st.Config, st.Config, m.Target)
	}
}

// caddyLoaded is what a Caddy v2 container reads: the config file, and the
// files and globs that it imports (container paths).
type caddyLoaded struct {
	files []string
	globs []string
	// unknown is true when something that cannot be read provides the
	// config (an image's own Caddyfile, a volume): it may import anything.
	unknown bool
}

func (l caddyLoaded) covers(target string) bool {
	if l.unknown {
		return true
	}
	for _, f := range l.files {
		if f == target {
			return true
		}
	}
	for _, g := range l.globs {
		if ok, _ := path.Match(g, target); ok {
			return true
		}
		// An import of a directory imports the files in it.
		if mounts.Covers(g, target) {
			return true
		}
	}
	return false
}

// caddyLoadedFiles follows the loaded config's imports (through the
// service's mounts) to list every container path Caddy reads.
func caddyLoadedFiles(p *lint.Pass, svc types.ServiceConfig, st caddyconf.Start, ms []mounts.Mount) caddyLoaded {
	var l caddyLoaded
	if !st.Known || st.Config == "" {
		return l
	}
	l.files = append(l.files, st.Config)
	doc, isDefault, known := caddyconf.ConfigOf(p, svc, st)
	if !known {
		l.unknown = true
		return l
	}
	if isDefault || doc == nil {
		return l
	}
	seen := map[string]bool{st.Config: true}
	queue := []struct {
		doc *caddyconf.Doc
		dir string
	}{{doc, path.Dir(st.Config)}}
	for len(queue) > 0 && len(seen) < 64 {
		cur := queue[0]
		queue = queue[1:]
		for _, imp := range cur.doc.Imports() {
			if strings.Contains(imp, "{") {
				l.unknown = true // an import path from a placeholder
				continue
			}
			if !path.IsAbs(imp) {
				imp = path.Join(cur.dir, imp)
			}
			imp = path.Clean(imp)
			if strings.ContainsAny(imp, "*?[") {
				l.globs = append(l.globs, imp)
				continue
			}
			l.files = append(l.files, imp)
			l.globs = append(l.globs, imp) // a directory import
			if seen[imp] {
				continue
			}
			seen[imp] = true
			if host, ok := mounts.HostPath(ms, imp); ok {
				if f, err := p.Project.ReadFile(host); err == nil {
					queue = append(queue, struct {
						doc *caddyconf.Doc
						dir string
					}{caddyconf.Read(f), path.Dir(imp)})
				}
			}
		}
	}
	return l
}

// caddyReadFile reads a file through the project (its overlay included).
func caddyReadFile(p *lint.Pass, path string) (*source.File, error) {
	if p.Project.ReadFile == nil {
		return nil, os.ErrNotExist
	}
	return p.Project.ReadFile(path)
}

// caddyRelPath shows a host path relative to the project directory when it lies below it.
func caddyRelPath(p *lint.Pass, file string) string {
	if source.Within(p.Project.Dir, file) {
		return "./" + source.Rel(p.Project.Dir, file)
	}
	return file
}
