package rules

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var ResourceLimits = &lint.Rule{
	ID:       "resource-limits",
	Summary:  "a service has no memory, CPU or process limit",
	Severity: lint.Warning,
	Strict:   true,
	Run:      resourceLimits,
	Doc: lint.Doc{
		What: "Reports a service that sets no memory limit (`mem_limit` or `deploy.resources.limits.memory`), no CPU " +
			"limit (`cpus` or `deploy.resources.limits.cpus`) or no process limit (`pids_limit` or " +
			"`deploy.resources.limits.pids`), naming the missing ones.",
		Why: "Docker limits nothing by default: one leaking or fork-bombed container starves every other service of the " +
			"host. Compose applies `deploy.resources.limits` outside Swarm too.",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n          cpus: \"0.5\"\n          pids: 200\n",
	},
}

func resourceLimits(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		var limits *types.Resource
		if svc.Deploy != nil {
			limits = svc.Deploy.Resources.Limits
		}
		var missing []string
		if svc.MemLimit == 0 && (limits == nil || limits.MemoryBytes == 0) {
			missing = append(missing, "memory")
		}
		if svc.CPUS == 0 && (limits == nil || limits.NanoCPUs == 0) {
			missing = append(missing, "CPU")
		}
		if svc.PidsLimit == 0 && (limits == nil || limits.Pids == 0) {
			missing = append(missing, "process")
		}
		if len(missing) > 0 {
			p.ReportPath(index.Path{"services", svc.Name}, svc.Name+" has no "+strings.Join(missing, ", ")+" limit: one runaway container starves the host")
		}
	}
}
