package rules

import (
	"fmt"
	"strings"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
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
		for _, m := range mounts.HostMounts(p, svc) {
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
