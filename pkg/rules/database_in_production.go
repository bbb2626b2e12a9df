package rules

import (
	"fmt"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var _ = register(&lint.Rule{
	ID:           "database-in-production",
	Summary:      "a database server runs as a container of the production project",
	Severity:     lint.Warning,
	Environments: []string{"production"},
	Run:          databaseInProduction,
	Doc: lint.Doc{
		What: "Reports a database service (postgres, postgis, mysql, mariadb, mongo…, recognised by its image or by the " +
			"FROM of its Dockerfile) that production runs, at the service's definition in the file that defines it " +
			"(usually the base `docker-compose.yml`, which production loads too). A service behind a profile that " +
			"`COMPOSE_PROFILES` (from `.env`) does not enable is an opt-in choice and is not reported.",
		Why: "The wemake-django-template production checklist: a database in a container next to the application is a " +
			"single point of failure, with no backups, no replication and no tuning, and it shares the host's disk and " +
			"memory with the app. Production should use a managed or external database server. The template defines " +
			"`db` in `docker-compose.yml` for convenience; the checklist says to move it to " +
			"`docker-compose.override.yml`, which only development loads.",
		Example: "# docker-compose.yml (development and production)\nservices:\n  db:\n    image: postgres:18-alpine\n  web:\n" +
			"    build: .\n    environment:\n      DJANGO_DATABASE_HOST: db\n",
		Instead: "# docker-compose.override.yml (development only)\nservices:\n  db:\n    image: postgres:18-alpine\n  web:\n" +
			"    environment:\n      DJANGO_DATABASE_HOST: db\n\n# docker/docker-compose.prod.yml\nservices:\n  web:\n" +
			"    environment:\n      DJANGO_DATABASE_HOST: db.internal.example.com\n",
	},
})

func databaseInProduction(p *lint.Pass) {
	for _, svc := range services(p) {
		kind := databaseKind(p, svc)
		if kind == "" || !dbenvStarts(p, svc) {
			continue
		}
		defs := p.Env.Index.Defs(index.Path{"services", svc.Name})
		if len(defs) == 0 {
			continue
		}
		def := defs[0]
		p.ReportRange(def.File, defRange(&def), fmt.Sprintf(
			"`%s` runs %s in production: a database in a container next to the app is a single point of failure, "+
				"without backups, replication or tuning; use a managed or external database in production: define `%s` only in %s "+
				"(development) and point the app at the external database",
			svc.Name, kind, svc.Name, dbenvDevFile(p)))
	}
}
