package rules

import (
	"strings"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var LoggingDisabled = &lint.Rule{
	ID:       "logging-disabled",
	Summary:  "a service's logs are thrown away (`logging: {driver: none}`)",
	Severity: lint.Warning,
	Strict:   true,
	Run:      loggingDisabled,
	Doc: lint.Doc{
		What: "Reports `logging.driver: none`.",
		Why: "Without logs an incident cannot be investigated. To bound the disk logs use, rotate them instead " +
			"(`max-size`, `max-file` of the `json-file` or `local` driver).",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    logging:\n      driver: none\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    logging:\n      driver: local\n      options:\n        max-size: 10m\n",
	},
}

func loggingDisabled(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		if svc.Logging != nil && strings.EqualFold(svc.Logging.Driver, "none") {
			p.ReportPath(index.Path{"services", svc.Name, "logging", "driver"}, svc.Name+" throws its logs away: rotate them instead (driver local, max-size)")
		}
	}
}
