// Package mounts lists what a compose service sees in its file system
// (volumes, configs, tmpfs) and answers which mount holds a container path
// and which host file is behind it; and the host paths a service mounts, as
// whoever deploys it would read them (HostMounts).
package mounts

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
)

// Mount is one thing a service sees in its file system: a volume entry
// (bind, named or anonymous volume, tmpfs), a config, or a `tmpfs:` entry.
type Mount struct {
	Kind     string // "bind", "volume", "tmpfs", "config", or another volume type
	Source   string // bind: host path; volume: name ("" = anonymous); config: host file ("" = none)
	Target   string // cleaned container path
	ReadOnly bool
	Path     index.Path // where the entry is defined in the model
}

// Of lists a service's mounts: volumes, configs, and tmpfs. proj (may be
// nil) resolves the files of configs.
func Of(svc types.ServiceConfig, proj *types.Project) []Mount {
	var out []Mount
	for _, v := range svc.Volumes {
		if v.Target == "" {
			continue
		}
		out = append(out, Mount{
			Kind: v.Type, Source: v.Source, Target: path.Clean(v.Target), ReadOnly: v.ReadOnly,
			Path: index.Path{"services", svc.Name, "volumes", index.Item(v.Target)},
		})
	}
	for _, c := range svc.Configs {
		m := Mount{Kind: "config", ReadOnly: true, Path: index.Path{"services", svc.Name, "configs", index.Item(index.ConfigIdentity(c.Source, c.Target))}}
		m.Target = c.Target
		if m.Target == "" {
			m.Target = "/" + c.Source
		}
		m.Target = path.Clean(m.Target)
		if proj != nil {
			if cfg, ok := proj.Configs[c.Source]; ok && cfg.File != "" && !bool(cfg.External) {
				m.Source = cfg.File
			}
		}
		out = append(out, m)
	}
	for _, t := range svc.Tmpfs {
		target, _, _ := strings.Cut(t, ":")
		if target == "" {
			continue
		}
		out = append(out, Mount{Kind: "tmpfs", Target: path.Clean(target), Path: index.Path{"services", svc.Name, "tmpfs", index.Item(t)}})
	}
	return out
}

// WithInherited returns the service's mounts and the bind mounts and
// volumes it takes from other services of proj with volumes_from; ok is
// false when it takes them from a container outside the project.
func WithInherited(svc types.ServiceConfig, proj *types.Project) ([]Mount, bool) {
	mounts := Of(svc, proj)
	for _, from := range svc.VolumesFrom {
		name, _, _ := strings.Cut(from, ":")
		if strings.HasPrefix(from, "container:") {
			return nil, false
		}
		other, ok := proj.Services[name]
		if !ok {
			return nil, false
		}
		for _, m := range Of(other, proj) {
			if m.Kind == types.VolumeTypeBind || m.Kind == types.VolumeTypeVolume {
				mounts = append(mounts, m)
			}
		}
	}
	return mounts, true
}

// Covers reports whether container directory dir is p or an ancestor of p
// (both cleaned).
func Covers(dir, p string) bool {
	return dir == p || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// At returns the mount that holds container path p: the one whose target is
// p or its nearest ancestor.
func At(mounts []Mount, p string) (Mount, bool) {
	best, found := Mount{}, false
	for _, m := range mounts {
		if Covers(m.Target, p) && (!found || len(m.Target) > len(best.Target)) {
			best, found = m, true
		}
	}
	return best, found
}

// HostPath returns the host file behind container path p, when a bind
// mount or a file config provides it.
func HostPath(mounts []Mount, p string) (string, bool) {
	m, ok := At(mounts, p)
	if !ok || m.Source == "" {
		return "", false
	}
	switch m.Kind {
	case "bind":
		rel := strings.TrimPrefix(strings.TrimPrefix(p, m.Target), "/")
		if rel == "" {
			return m.Source, true
		}
		return filepath.Join(m.Source, filepath.FromSlash(rel)), true
	case "config":
		if m.Target == p {
			return m.Source, true
		}
	}
	return "", false
}

// HoldsProject tells whether a bind mount source is the project
// directory dir or a directory containing it (but not the host's root, which
// monitoring agents mount).
func HoldsProject(dir, src string) bool {
	if src == "" || !filepath.IsAbs(src) || dir == "" {
		return false
	}
	src = filepath.Clean(src)
	if src == string(filepath.Separator) {
		return false
	}
	rel, err := filepath.Rel(src, filepath.Clean(dir))
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)))
}
