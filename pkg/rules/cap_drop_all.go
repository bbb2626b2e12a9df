package rules

import (
	"strings"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var CapDropAll = &lint.Rule{
	ID:       "cap-drop-all",
	Summary:  "a service keeps Docker's default capabilities (no `cap_drop: [ALL]`)",
	Severity: lint.Warning,
	Strict:   true,
	Run:      capDropAll,
	Doc: lint.Doc{
		What: "Reports a service whose `cap_drop` does not list `ALL`, at the service's name.",
		Why: "Docker grants 14 capabilities by default (`NET_RAW`, `DAC_OVERRIDE`, `SETUID`, `MKNOD`…); most services need " +
			"none or one. Dropping all and adding back what the service needs shrinks what an exploit can do.",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    cap_drop:\n      - ALL\n    cap_add:\n      - NET_BIND_SERVICE\n",
	},
}

func capDropAll(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		all := false
		for _, c := range svc.CapDrop {
			all = all || strings.EqualFold(strings.TrimSpace(c), "ALL")
		}
		if !all {
			p.ReportPath(index.Path{"services", svc.Name}, svc.Name+" keeps Docker's default capabilities: `cap_drop: [ALL]`, then add back what it needs")
		}
	}
}
