package caddyconf

import (
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/source"
)

// isCaddyfileName reports whether a file name is that of a Caddyfile:
// Caddyfile, Caddyfile.<anything>, <anything>.caddyfile (any case).
func isCaddyfileName(name string) bool {
	n := strings.ToLower(filepath.Base(name))
	return n == "caddyfile" || strings.HasPrefix(n, "caddyfile.") || strings.HasSuffix(n, ".caddyfile")
}

// CaddyfileMounts returns the bind mounts and configs that give the service
// a file named like a Caddyfile.
func CaddyfileMounts(ms []mounts.Mount) []mounts.Mount {
	var out []mounts.Mount
	for _, m := range ms {
		if (m.Kind == "bind" || m.Kind == "config") && m.Source != "" && isCaddyfileName(m.Source) {
			out = append(out, m)
		}
	}
	return out
}

// File is the project's Caddyfile that a Caddy service is given.
type File struct {
	File *source.File
	// Mount is the bind mount or config that gives it to the container
	// (Kind "" when the image copies it in, or when it was guessed).
	Mount mounts.Mount
	// Mounted is true when the file reaches the container through a mount;
	// false when the Dockerfile copies it or it was found by name only.
	Mounted bool
}

// FileOf returns the project's Caddyfile a Caddy service uses, in
// this order: the file that Caddy loads (its --config, or
// /etc/caddy/Caddyfile) when a mount provides it; any other mounted file
// named like a Caddyfile; a Caddyfile its Dockerfile copies from the build
// context; and, when the service is built from a Dockerfile that is not in
// the project, docker/caddy/Caddyfile or Caddyfile in the project.
// ok is false when none is found or readable.
func FileOf(p *lint.Pass, svc types.ServiceConfig) (File, bool) {
	if p.Project.ReadFile == nil {
		return File{}, false
	}
	ms := mounts.Of(svc, p.Env.Project)
	read := func(host string) *source.File {
		f, err := p.Project.ReadFile(host)
		if err != nil {
			return nil
		}
		return f
	}
	if Major(p.Project, svc) == 2 {
		if st := StartOf(p.Project, svc); st.Known && st.Config != "" {
			if host, ok := mounts.HostPath(ms, st.Config); ok {
				if f := read(host); f != nil {
					m, _ := mounts.At(ms, st.Config)
					return File{File: f, Mount: m, Mounted: true}, true
				}
			}
		}
	}
	for _, m := range CaddyfileMounts(ms) {
		if f := read(m.Source); f != nil {
			return File{File: f, Mount: m, Mounted: true}, true
		}
	}
	if svc.Build == nil {
		return File{}, false
	}
	if df, ok := services.Dockerfile(p.Project, svc); ok {
		for _, c := range dockerfile.TargetCopies(df, svc.Build.Target) {
			for _, src := range c.Sources {
				if !isCaddyfileName(src) || strings.ContainsAny(src, "*?[$") {
					continue
				}
				if f := read(filepath.Join(svc.Build.Context, filepath.FromSlash(src))); f != nil {
					return File{File: f}, true
				}
			}
		}
		return File{}, false
	}
	for _, rel := range []string{"docker/caddy/Caddyfile", "Caddyfile"} {
		if f := read(filepath.Join(p.Project.Dir, filepath.FromSlash(rel))); f != nil {
			return File{File: f}, true
		}
	}
	return File{}, false
}

// ConfigOf tells what config a Caddy v2 service effectively runs
// with: the Caddyfile document (doc), or the image's default Caddyfile
// (isDefault: `:80` serving /usr/share/caddy), or no config file because
// the command configures Caddy (st.Sub reverse-proxy, file-server…). known
// is false when it cannot be told (a config baked into an image whose
// Dockerfile is not readable, a command that is not understood, a file
// outside the project).
func ConfigOf(p *lint.Pass, svc types.ServiceConfig, st Start) (doc *Doc, isDefault, known bool) {
	if !st.Known {
		return nil, false, false
	}
	if st.Config == "" {
		return nil, false, true
	}
	ms := mounts.Of(svc, p.Env.Project)
	if host, ok := mounts.HostPath(ms, st.Config); ok {
		f, err := p.Project.ReadFile(host)
		if err != nil {
			return nil, false, false
		}
		return Read(f), false, true
	}
	if _, ok := mounts.At(ms, st.Config); ok {
		return nil, false, false // a volume provides it
	}
	if svc.Build != nil {
		df, ok := services.Dockerfile(p.Project, svc)
		if !ok {
			return nil, false, false
		}
		if candidates, covered := dockerfile.CopiedFrom(dockerfile.TargetCopies(df, svc.Build.Target), svc.Build.Context, st.Config); covered {
			for _, host := range candidates {
				if f, err := p.Project.ReadFile(host); err == nil {
					return Read(f), false, true
				}
			}
			return nil, false, false
		}
	}
	if st.Config == DefaultConfig {
		return nil, true, true
	}
	// Nothing provides the file: Caddy fails, or (./Caddyfile absent) runs
	// with an empty config. Either way it obtains no certificates.
	return nil, false, true
}

// Env returns a variable of the service's resolved environment
// (environment and env_file), else of the project's interpolation values.
func Env(proj *lint.Project, svc types.ServiceConfig, name string) (string, bool) {
	if v, ok := svc.Environment[name]; ok && v != nil {
		return *v, true
	}
	if v, ok := proj.Vars[name]; ok {
		return v, true
	}
	return "", false
}
