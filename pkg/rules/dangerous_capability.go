package rules

import (
	"strings"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var DangerousCapability = &lint.Rule{
	ID:                    "dangerous-capability",
	Summary:               "a service adds a Linux capability that reaches past the container (`SYS_ADMIN`, `NET_ADMIN`, `ALL`…)",
	Severity:              lint.Error,
	SecuritySeverity:      8.8,
	DevelopmentWeighsLess: true,
	Run:                   dangerousCapability,
	Doc: lint.Doc{
		What: "Reports `cap_add` entries by what the capability grants, and says which class it is in. At the rule's " +
			"severity, host code execution: `ALL`, `SYS_ADMIN`, `SYS_MODULE`, `SYS_RAWIO`. One level lower, reach into " +
			"the host: `NET_ADMIN`, `BPF`, `SYS_BOOT` (strong), `PERFMON`, `SYS_TIME` (host-wide), `SYS_NICE`, " +
			"`IPC_LOCK`, `LEASE` (host availability), `SYSLOG` (host disclosure). Two levels lower, bounded grants: " +
			"`SYS_PTRACE`, `DAC_READ_SEARCH`. The `CAP_` prefix is optional, as for Docker. Capabilities in Docker's " +
			"default set (`CHOWN`, `NET_BIND_SERVICE`, `MKNOD`…) are not reported.",
		Why: "`SYS_ADMIN` alone allows mounting filesystems and is most of `privileged`; `SYS_MODULE` loads kernel code; " +
			"`NET_ADMIN` rewrites routes and firewall rules and intercepts other containers' traffic; `SYS_TIME` sets " +
			"the host's clock for every workload. A VPN container does need `NET_ADMIN`: suppress the finding there with " +
			"a comment saying why, so that the next one is noticed.",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    cap_add:\n      - SYS_ADMIN\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    cap_drop:\n      - ALL\n    cap_add:\n      - NET_BIND_SERVICE\n",
	},
}

// capabilityClasses grade what an added capability grants; level is how
// many steps below the rule's severity its findings are.
var capabilityClasses = map[string]struct {
	class string
	level int
}{
	"ALL":             {"every capability: host code execution", 0},
	"SYS_ADMIN":       {"host code execution: mount, namespaces, most of privileged", 0},
	"SYS_MODULE":      {"host code execution: loads kernel modules", 0},
	"SYS_RAWIO":       {"host code execution: raw I/O ports and memory", 0},
	"NET_ADMIN":       {"strong: reconfigures interfaces, routes and firewall, intercepts traffic", 1},
	"BPF":             {"strong: loads BPF programs into the kernel", 1},
	"SYS_BOOT":        {"strong: reboots the host", 1},
	"PERFMON":         {"host reach: observes every process on the host", 1},
	"SYS_TIME":        {"host reach: sets the host's clock", 1},
	"SYS_NICE":        {"host availability: real-time scheduling above host processes", 1},
	"IPC_LOCK":        {"host availability: pins host memory", 1},
	"LEASE":           {"host availability: stalls the host's access to mounted files", 1},
	"SYSLOG":          {"host disclosure: reads the host's kernel log", 1},
	"SYS_PTRACE":      {"bounded: traces processes of its PID namespace", 2},
	"DAC_READ_SEARCH": {"bounded: bypasses file read permissions, reads host files by handle", 2},
}

func dangerousCapability(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		for _, raw := range svc.CapAdd {
			written := strings.ToUpper(strings.TrimSpace(raw))
			name := strings.TrimPrefix(written, "CAP_")
			if name == "ALL" && written != "ALL" {
				continue // Docker refuses CAP_ALL: the service does not start
			}
			c, ok := capabilityClasses[name]
			if !ok {
				continue
			}
			pass := p
			for range c.level {
				pass = pass.Weaker()
			}
			pass.ReportPath(index.Path{"services", svc.Name, "cap_add", index.Item(raw)},
				svc.Name+" adds "+name+" ("+c.class+")")
		}
	}
}
