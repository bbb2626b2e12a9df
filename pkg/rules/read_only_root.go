package rules

import (
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var ReadOnlyRoot = &lint.Rule{
	ID:       "read-only-root",
	Summary:  "a service's root filesystem is writable (no `read_only: true`)",
	Severity: lint.Warning,
	Strict:   true,
	Run:      readOnlyRoot,
	Doc: lint.Doc{
		What: "Reports a service without `read_only: true`, at the service's name.",
		Why: "A writable root filesystem lets an intruder replace binaries and persist in the container. With `read_only` " +
			"the places a service writes are explicit: volumes for data, `tmpfs` for scratch space.",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    read_only: true\n    tmpfs:\n      - /tmp\n",
	},
}

func readOnlyRoot(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		if !svc.ReadOnly {
			p.ReportPath(index.Path{"services", svc.Name}, svc.Name+" can write its root filesystem: set `read_only: true` and give it volumes or tmpfs where it writes")
		}
	}
}
