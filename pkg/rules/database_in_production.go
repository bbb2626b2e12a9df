package rules

import (
	"fmt"
	"slices"

	"github.com/composelint/composelint/pkg/environments"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/source"
)

var DatabaseInProduction = &lint.Rule{
	ID:           "database-in-production",
	Summary:      "a database server runs as a container of the production project",
	Severity:     lint.Warning,
	Environments: []string{"production"},
	Fixable:      true,
	Run:          databaseInProduction,
	Doc: lint.Doc{
		What: "Reports a database service (postgres, postgis, timescaledb, pgautoupgrade, mysql, mariadb, mongo…, " +
			"recognised by its image, whatever its namespace (bitnami/postgresql, postgis/postgis), or by the FROM of its " +
			"Dockerfile) that production runs, at the service's definition in the file that defines it (usually the base " +
			"`docker-compose.yml`, which production loads too). Tools named after a database (exporters, backup images, " +
			"admin UIs, poolers) are not databases, nor is a service built FROM a database image that keeps no data " +
			"directory and runs pg_dump or cron: it is a client. A service behind a profile that `COMPOSE_PROFILES` (from " +
			"`.env`) does not enable is an opt-in choice and is not reported. A project with no development environment " +
			"(no override or development file: a self-hosted distribution that ships its own database) gets this as " +
			"information, not a warning: there is nowhere to move the database to.\n\n" +
			"Unsafe fix (`--fix --unsafe-fixes`; it changes what production runs): the service, with the comment lines " +
			"right above it, moves from the file both environments load to the file only development loads " +
			"(`docker-compose.override.yml`, or the override twin of the base file's name, created when missing; when that " +
			"file already has an entry for the service, the moved settings go into it); a definition in a file only " +
			"production loads is deleted. The other services' `depends_on` and `links` " +
			"edges to it leave production too, wherever they are written (inside a `<<: &anchor` block as well); " +
			"each development service that had such an edge gets it again in the development file. Top-level " +
			"volumes and networks that no other production service uses move with it (or are deleted from " +
			"production-only files); those another production service still uses stay, so that production " +
			"keeps loading. A production-only file left with no service keeps `services: {}`. Development runs exactly what it ran before: the fix checks it by loading development " +
			"with the edits. No fix is offered when the move cannot be done line by line: flow-style `depends_on` " +
			"or `links`, the service defined as an anchor that something else uses or through an alias of another part of its " +
			"file (`<<: *defaults`: an alias cannot point into another file), deleted lines holding an anchor used " +
			"elsewhere, `extends` of or by the service, `include`, another service's `volumes_from` or " +
			"`network_mode`/`ipc`/`pid: service:` naming it, a file of several YAML documents, a development file whose entry for the service sets a key the moved " +
			"definition sets too (Compose merges the two key by key), environments configured so that a created " +
			"override would not be loaded, an environment other than development and production loading an edited " +
			"file, or no development environment at all.",
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
}

func databaseInProduction(p *lint.Pass) {
	dev, hasDev := environments.DevelopmentFile(p)
	report := p
	if !hasDev {
		// A project that ships its own database (a self-hosted
		// distribution) and no development environment has nowhere to
		// move it: information, not a defect.
		report = p.Weaker()
	}
	for _, svc := range p.Services() {
		kind := services.DatabaseKind(p.Project, svc)
		if kind == "" || !environments.Starts(p.Project, svc) {
			continue
		}
		defs := p.Env.Index.Defs(index.Path{"services", svc.Name})
		if len(defs) == 0 {
			continue
		}
		def := defs[0]
		var fixes []lint.Fix
		if fx, ok := databaseMoveFix(p, svc); ok {
			fixes = append(fixes, fx)
		}
		where := fmt.Sprintf("define `%s` only in %s (development)", svc.Name, dev)
		if own := ownDevelopmentDatabase(p, def.File.Path); own != "" {
			where = fmt.Sprintf("remove `%s` from %s (development, %s, keeps a database of its own)",
				svc.Name, source.Rel(p.Project.Dir, def.File.Path), own)
		}
		msg := fmt.Sprintf("`%s` runs %s in production: a database in a container next to the app is a single point of failure, "+
			"without backups, replication or tuning; use a managed or external database in production: %s "+
			"and point the app at the external database", svc.Name, kind, where)
		if !hasDev {
			msg = fmt.Sprintf("`%s` runs %s in production, and the project has no development environment (no "+
				"docker-compose.override.yml or development file) to keep it in: fine when the project ships its own database "+
				"on purpose; for a deployment that needs backups, replication or tuning, use a managed or external database", svc.Name, kind)
		}
		report.ReportRange(def.File, def.Span(), msg, fixes...)
	}
}

// ownDevelopmentDatabase names the file of the development environment
// when that environment does not load the production file that defines the
// database (cookiecutter-django's local.yml beside production.yml) and runs
// a database of its own: there is nothing to move, only to remove; "" else.
func ownDevelopmentDatabase(p *lint.Pass, prodFile string) string {
	for _, env := range p.Project.Environments {
		if env == p.Env || env.Name != "development" || env.Project == nil ||
			slices.ContainsFunc(env.Files, func(f *source.File) bool { return f.Path == prodFile }) {
			continue
		}
		for _, svc := range env.Project.Services {
			if services.DatabaseKind(p.Project, svc) != "" {
				return source.Rel(p.Project.Dir, env.Files[len(env.Files)-1].Path)
			}
		}
	}
	return ""
}
