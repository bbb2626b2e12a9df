package rules

import (
	"strings"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var TmpfsNoexec = &lint.Rule{
	ID:       "tmpfs-noexec",
	Summary:  "a `tmpfs` mount lets programs written to it run (no `noexec`)",
	Severity: lint.Info,
	Strict:   true,
	Run:      tmpfsNoexec,
	Doc: lint.Doc{
		What: "Reports a `tmpfs` entry of a service whose options do not include `noexec`.",
		Why: "A writable scratch directory that can also execute is where a dropped payload runs, the more so with a " +
			"read-only root filesystem. `noexec,nosuid` keeps it for data.",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    tmpfs:\n      - /tmp\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    tmpfs:\n      - /tmp:rw,noexec,nosuid\n",
	},
}

func tmpfsNoexec(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		for _, t := range svc.Tmpfs {
			_, opts, _ := strings.Cut(t, ":")
			noexec := false
			for _, o := range strings.Split(opts, ",") {
				noexec = noexec || strings.TrimSpace(o) == "noexec"
			}
			if !noexec {
				p.ReportPath(index.Path{"services", svc.Name, "tmpfs", index.Item(t)}, svc.Name+"'s tmpfs "+t+" can run programs written to it: add noexec,nosuid")
			}
		}
	}
}
