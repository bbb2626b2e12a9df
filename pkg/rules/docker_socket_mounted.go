package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/yamledit"
)

var DockerSocketMounted = &lint.Rule{
	ID:                    "docker-socket-mounted",
	Summary:               "a container runtime's control socket (the Docker socket) is mounted into a service",
	Severity:              lint.Error,
	SecuritySeverity:      9.3,
	DevelopmentWeighsLess: true,
	Run:                   dockerSocketMounted,
	Doc: lint.Doc{
		What: "Reports a bind mount of a container runtime's control socket: `/var/run/docker.sock`, `/run/docker.sock`, " +
			"containerd's, CRI-O's or Podman's socket (rootless ones under `/run/user/…` too), systemd's private socket, " +
			"or a directory that holds one (`/run`, `/var/run`, `/var`, `/`), in the short or long syntax or through a " +
			"named volume whose `driver_opts` bind a host path. Read-only does not help: the socket is an API, and " +
			"`:ro` only stops the container from deleting the file.",
		Why: "Whoever can talk to the Docker socket can start a privileged container that mounts the host's `/`: it is " +
			"root on the host. A compromised service that holds it (a dashboard, a CI runner, a reverse proxy reading " +
			"labels) hands the host over. When a tool needs the Docker API, give it a socket proxy that allows only the " +
			"calls it makes (e.g. tecnativa/docker-socket-proxy with `CONTAINERS=1`), or Traefik's file provider.",
		Example: "services:\n  traefik:\n    image: traefik:v3.1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n",
		Instead: "services:\n  socket-proxy:\n    image: tecnativa/docker-socket-proxy:0.2\n    environment:\n      CONTAINERS: 1\n" +
			"    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro  # composelint-disable-line docker-socket-mounted\n" +
			"  traefik:\n    image: traefik:v3.1\n    command: --providers.docker.endpoint=tcp://socket-proxy:2375\n",
	},
}

// runtimeSockets name the control sockets of container runtimes, by a
// part of their path.
var runtimeSockets = map[string]string{
	"docker.sock":     "the Docker socket",
	"containerd.sock": "containerd's socket",
	"crio.sock":       "CRI-O's socket",
	"podman.sock":     "Podman's socket",
	"systemd/private": "systemd's private socket",
}

// socketDirs hold a runtime's control socket on a stock host: mounting one,
// or an ancestor of one, hands the socket over as surely as naming it.
var socketDirs = []string{"/run/containerd", "/run/systemd", "/var/run", "/run", "/run/docker", "/var/run/docker"}

func dockerSocketMounted(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		for _, m := range hostMounts(p, svc) {
			what := socketExposed(m.Host)
			if what == "" {
				continue
			}
			msg := fmt.Sprintf("%s mounts %s (%s): whoever controls the container is root on the host", svc.Name, m.Host, what)
			if m.ReadOnly {
				msg += "; read-only does not help, the socket is an API"
			}
			p.ReportPath(m.Path, msg)
		}
	}
}

// socketExposed says which control socket mounting host path h exposes ("" for none).
func socketExposed(h string) string {
	if h == "/" {
		return "the whole host filesystem, the Docker socket included"
	}
	for marker, name := range runtimeSockets {
		if strings.Contains(h, marker) {
			return name
		}
	}
	if h == "/var" {
		return "a directory holding the Docker socket"
	}
	for _, dir := range socketDirs {
		if h == dir || strings.HasPrefix(dir, h+"/") {
			return "a directory holding a runtime's control socket"
		}
	}
	return ""
}

// hostMount is a host path a service mounts: a bind mount, or a named
// volume whose local driver binds a host directory.
type hostMount struct {
	Host     string     // as written after interpolation, cleaned; "~/…" kept as such
	Target   string     // container path
	ReadOnly bool       //
	Path     index.Path // the model path of the volumes entry
}

// hostMounts returns the host paths a service mounts. The host path is read
// from the file (interpolated) rather than the model, where compose-go has
// made a relative path absolute and expanded `~` against the linting user;
// relative paths (the project's own files) are left out.
func hostMounts(p *lint.Pass, svc types.ServiceConfig) []hostMount {
	var out []hostMount
	for _, v := range svc.Volumes {
		ip := index.Path{"services", svc.Name, "volumes", index.Item(v.Target)}
		m := hostMount{Target: v.Target, ReadOnly: v.ReadOnly, Path: ip}
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
