package mounts

import (
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/yamledit"
)

// HostMount is a host path a service mounts: a bind mount, or a named
// volume whose local driver binds a host directory.
type HostMount struct {
	Host     string     // as written after interpolation, cleaned; "~/…" kept as such
	Target   string     // container path
	ReadOnly bool       //
	Path     index.Path // the model path of the volumes entry
}

// HostMounts returns the host paths a service mounts. The host path is read
// from the file (interpolated) rather than the model, where compose-go has
// made a relative path absolute and expanded `~` against the linting user;
// relative paths (the project's own files) are left out.
func HostMounts(p *lint.Pass, svc types.ServiceConfig) []HostMount {
	var out []HostMount
	for _, v := range svc.Volumes {
		ip := index.Path{"services", svc.Name, "volumes", index.Item(v.Target)}
		m := HostMount{Target: v.Target, ReadOnly: v.ReadOnly, Path: ip}
		switch v.Type {
		case types.VolumeTypeBind:
			m.Host = writtenSource(p, ip, v.Source)
		case types.VolumeTypeVolume:
			host, ro := volumeDevice(p.WrittenModel().Volumes[v.Source])
			m.Host, m.ReadOnly = host, m.ReadOnly || ro
		}
		if m.Host = cleanHostPath(m.Host); m.Host != "" {
			out = append(out, m)
		}
	}
	return out
}

// writtenSource returns the source of the volumes entry at ip as its file
// writes it, interpolated; the model's source when the file says nothing.
func writtenSource(p *lint.Pass, ip index.Path, model string) string {
	def, _ := p.Env.Index.Lookup(ip)
	if def == nil || def.Value == nil {
		return model
	}
	n := def.Value
	switch n.Kind {
	case yaml.ScalarNode:
		if v, err := format.ParseVolume(def.Interpolate(homeAsTilde(n.Value))); err == nil {
			return v.Source
		}
	case yaml.MappingNode:
		if _, v := yamledit.Lookup(n, "source"); v != nil {
			return def.Interpolate(homeAsTilde(v.Value))
		}
	}
	return model
}

// homeAsTilde writes a leading $HOME as `~`: the home of whoever deploys,
// not of whoever lints (whose HOME may be /root).
func homeAsTilde(s string) string {
	for _, home := range []string{"${HOME}", "$HOME"} {
		if rest, ok := strings.CutPrefix(s, home); ok && (rest == "" || rest[0] == '/' || rest[0] == ':') {
			return "~" + rest
		}
	}
	return s
}

// volumeDevice returns the host path a named volume binds with the local
// driver (`driver_opts: {type: none, o: bind, device: /path}`), and whether
// it binds it read-only.
func volumeDevice(v types.VolumeConfig) (string, bool) {
	if bool(v.External) || (v.Driver != "" && v.Driver != "local") {
		return "", false
	}
	device := v.DriverOpts["device"]
	if !strings.HasPrefix(device, "/") {
		return "", false
	}
	opts := strings.Split(strings.ToLower(v.DriverOpts["o"]), ",")
	bind := strings.EqualFold(v.DriverOpts["type"], "none")
	ro := false
	for _, o := range opts {
		bind = bind || o == "bind" || o == "rbind"
		ro = ro || o == "ro"
	}
	if !bind {
		return "", false
	}
	return device, ro
}

// cleanHostPath cleans an absolute or home-relative host path as Docker
// would ("/." and "//" are "/"); "" for a relative one.
func cleanHostPath(h string) string {
	switch {
	case strings.HasPrefix(h, "/"):
		return path.Clean(h)
	case h == "~" || strings.HasPrefix(h, "~/"):
		return "~" + strings.TrimSuffix(path.Clean("/"+h[1:]), "/")
	}
	return ""
}
