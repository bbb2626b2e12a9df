package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/composelint/composelint/pkg/environments"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var DependsOnInactiveProfile = &lint.Rule{
	ID:       "depends-on-inactive-profile",
	Summary:  "a service that `docker compose up` starts depends on a service that only an inactive profile enables",
	Severity: lint.Error,
	Run:      dependsOnInactiveProfile,
	Doc: lint.Doc{
		What: "Judges the project as `docker compose up` does: it starts the services without `profiles` and those of " +
			"the profiles `COMPOSE_PROFILES` activates (from `.env` or `--env`). It reports a `depends_on` entry of such " +
			"a service that names a service none of whose profiles is active, unless the dependency says " +
			"`required: false`. Every service is still linted by the other rules, whatever its profiles.",
		Why: "`docker compose up` refuses the whole project (\"service \\\"web\\\" depends on undefined service " +
			"\\\"db\\\"\"): a profile meant to make a service optional (a debugging tool, a local database) makes the " +
			"services that depend on it unstartable. Either the dependency is optional (`required: false`), or it " +
			"belongs to the same profiles as its dependents, or it needs no profile.",
		Example: "services:\n  web:\n    image: ghcr.io/example/app:1.4\n    depends_on:\n      - db\n" +
			"  db:\n    image: postgres:16.4\n    profiles: [local-db]\n",
		Instead: "services:\n  web:\n    image: ghcr.io/example/app:1.4\n    depends_on:\n      db:\n        condition: service_started\n        required: false\n" +
			"  db:\n    image: postgres:16.4\n    profiles: [local-db]\n",
	},
}

func dependsOnInactiveProfile(p *lint.Pass) {
	active := environments.ActiveProfiles(p.Project)
	for _, svc := range p.WrittenServices() {
		if !environments.Enabled(svc.Profiles, active) {
			continue
		}
		for _, dep := range slices.Sorted(maps.Keys(svc.DependsOn)) {
			cfg := svc.DependsOn[dep]
			target, ok := p.WrittenModel().Services[dep]
			if !ok || !cfg.Required || environments.Enabled(target.Profiles, active) {
				continue
			}
			how := "no profile is active"
			if len(active) > 0 {
				how = "COMPOSE_PROFILES activates " + strings.Join(active, ", ")
			}
			p.ReportPath(index.Path{"services", svc.Name, "depends_on", dep}, fmt.Sprintf(
				"%s depends on %s, which only the profile %s enables, and %s: `docker compose up` refuses the project; "+
					"give %s the same profiles, or make the dependency `required: false`",
				svc.Name, dep, strings.Join(target.Profiles, " or "), how, dep))
		}
	}
}
