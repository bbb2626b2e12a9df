package rules

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var HostNamespace = &lint.Rule{
	ID:                    "host-namespace",
	Summary:               "a service shares a host namespace (`pid`, `ipc`, `uts`, `userns_mode` or `cgroup: host`)",
	Severity:              lint.Warning,
	SecuritySeverity:      7.5,
	DevelopmentWeighsLess: true,
	Run:                   hostNamespace,
	Doc: lint.Doc{
		What: "Reports `pid: host`, `ipc: host`, `uts: host`, `userns_mode: host` and `cgroup: host`, each at its line.",
		Why: "Each one removes a wall between the container and the host: with the host's PID namespace the container " +
			"sees and signals every host process (and reads their environment with ptrace), with its IPC namespace it " +
			"reaches the host's shared memory, with `uts` it can rename the host, with `userns_mode: host` it leaves " +
			"a remapped user namespace and its root is the host's root, with `cgroup: host` it sees the host's cgroup tree.",
		Example: "services:\n  browser:\n    image: selenium/standalone-chrome:4.25\n    ipc: host\n",
		Instead: "services:\n  browser:\n    image: selenium/standalone-chrome:4.25\n    shm_size: 2g\n",
	},
}

// hostNamespaces maps each namespace key to what sharing it gives.
var hostNamespaces = []struct {
	key, gives string
	value      func(types.ServiceConfig) string
}{
	{"pid", "sees and signals every host process", func(s types.ServiceConfig) string { return s.Pid }},
	{"ipc", "reaches the host's shared memory", func(s types.ServiceConfig) string { return s.Ipc }},
	{"uts", "can change the host's hostname", func(s types.ServiceConfig) string { return s.Uts }},
	{"userns_mode", "runs without user-namespace remapping: its root is the host's root", func(s types.ServiceConfig) string { return s.UserNSMode }},
	{"cgroup", "sees the host's cgroup tree", func(s types.ServiceConfig) string { return s.Cgroup }},
}

func hostNamespace(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		for _, ns := range hostNamespaces {
			if strings.EqualFold(ns.value(svc), "host") {
				p.ReportPath(index.Path{"services", svc.Name, ns.key},
					svc.Name+" shares the host's "+ns.key+" namespace: it "+ns.gives)
			}
		}
	}
}
