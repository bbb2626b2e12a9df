package rules

import (
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
)

var HealthcheckMissing = &lint.Rule{
	ID:       "healthcheck-missing",
	Summary:  "a long-running service has no healthcheck",
	Severity: lint.Info,
	Strict:   true,
	Run:      healthcheckMissing,
	Doc: lint.Doc{
		What: "Reports a service that has no `healthcheck` in the compose files and, when the project builds it, none " +
			"in its Dockerfile. One-shot services (`restart: \"no\"` or unset with a `service_completed_successfully` " +
			"dependent) are not reported; pulled images may define one of their own, which composelint cannot see.",
		Why: "Without a healthcheck Docker only knows whether the process runs, not whether it serves: `depends_on` " +
			"cannot wait for readiness, and a hung service is never restarted or reported.",
		Example: "services:\n  api:\n    image: ghcr.io/example/api:1.4\n",
		Instead: "services:\n  api:\n    image: ghcr.io/example/api:1.4\n    healthcheck:\n      test: [\"CMD\", \"wget\", \"-qO-\", \"http://localhost:8000/health\"]\n      interval: 30s\n",
	},
}

func healthcheckMissing(p *lint.Pass) {
	oneShot := map[string]bool{}
	for _, svc := range p.WrittenServices() {
		for dep, cfg := range svc.DependsOn {
			if cfg.Condition == "service_completed_successfully" {
				oneShot[dep] = true
			}
		}
	}
	for _, svc := range p.WrittenServices() {
		if oneShot[svc.Name] || services.HasHealthcheck(svc.HealthCheck) {
			continue
		}
		if has, _ := services.DockerfileHealthcheck(p.Project, svc); has {
			continue
		}
		p.ReportPath(index.Path{"services", svc.Name}, svc.Name+" has no healthcheck: nothing tells whether it serves")
	}
}
