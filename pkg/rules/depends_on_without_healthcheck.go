package rules

import (
	"maps"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/imageref"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
)

var DependsOnWithoutHealthcheck = &lint.Rule{
	ID:       "depends-on-without-healthcheck",
	Summary:  "`condition: service_healthy` waits for a service that has no healthcheck",
	Severity: lint.Error,
	Run:      dependsOnWithoutHealthcheck,
	Doc: lint.Doc{
		What: "Reports a `depends_on` entry with `condition: service_healthy` on a service that has no `healthcheck` (or " +
			"`disable: true`, or `test: [NONE]`) and whose Dockerfile, when the project builds it, has no " +
			"`HEALTHCHECK` in the stage it builds. For a pulled image, or a Dockerfile composelint cannot read, the " +
			"finding is one level lower and says so: the image may define a `HEALTHCHECK` of its own. Images known to " +
			"define one (pgautoupgrade/pgautoupgrade, mailcow's unbound) are not reported.",
		Why: "A container without a healthcheck never becomes healthy: `docker compose up` fails at once (\"container … " +
			"has no healthcheck configured\") and the dependent service never starts. Add a healthcheck to the " +
			"dependency, or wait for `service_started`.",
		Example: "services:\n  web:\n    image: ghcr.io/example/app:1.4\n    depends_on:\n      db:\n        condition: service_healthy\n" +
			"  db:\n    image: postgres:16.4\n",
		Instead: "services:\n  web:\n    image: ghcr.io/example/app:1.4\n    depends_on:\n      db:\n        condition: service_healthy\n" +
			"  db:\n    image: postgres:16.4\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]\n      interval: 5s\n",
	},
}

func dependsOnWithoutHealthcheck(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		for _, dep := range slices.Sorted(maps.Keys(svc.DependsOn)) {
			if svc.DependsOn[dep].Condition != types.ServiceConditionHealthy {
				continue
			}
			target, ok := p.WrittenModel().Services[dep]
			if !ok || services.HasHealthcheck(target.HealthCheck) || imagesWithHealthcheck[imageName(target.Image)] {
				continue
			}
			ip := index.Path{"services", svc.Name, "depends_on", dep, "condition"}
			msg := svc.Name + " waits for " + dep + " to be healthy, but " + dep + " has no healthcheck"
			switch built, known := services.DockerfileHealthcheck(p.Project, target); {
			case built:
				continue
			case known:
				p.ReportPath(ip, msg+" and its Dockerfile no HEALTHCHECK: `docker compose up` fails; add a healthcheck or wait for service_started")
			default:
				p.Weaker().ReportPath(ip, msg+" in the project: unless its image defines a HEALTHCHECK, `docker compose up` fails; add a healthcheck or wait for service_started")
			}
		}
	}
}

// imagesWithHealthcheck are images whose Dockerfile declares a HEALTHCHECK,
// read in their sources: waiting for them to be healthy works.
var imagesWithHealthcheck = map[string]bool{
	"pgautoupgrade/pgautoupgrade": true, // pgautoupgrade/docker-pgautoupgrade, Dockerfile.*: pgautoupgrade-healthcheck.sh
	"ghcr.io/mailcow/unbound":     true, // mailcow-dockerized, data/Dockerfiles/unbound/Dockerfile: healthcheck.sh
}

// imageName is an image reference without tag or digest, lower-cased, and
// without Docker Hub's registry name.
func imageName(image string) string {
	name := imageref.Repo(image)
	if ns := imageref.Namespace(image); ns != "" {
		name = ns + "/" + name
	}
	return strings.TrimPrefix(strings.TrimPrefix(name, "docker.io/"), "index.docker.io/")
}
