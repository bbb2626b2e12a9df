package rules

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/shell"
	"github.com/composelint/composelint/pkg/source"
)

var MigrationsOnScaledService = &lint.Rule{
	ID:       "migrations-on-scaled-service",
	Summary:  "a service with several replicas runs database migrations when it starts",
	Severity: lint.Warning,
	Run:      migrationsOnScaledService,
	Doc: lint.Doc{
		What: "Reports a service that runs more than one replica (`deploy.replicas` or `scale` above 1) and runs database " +
			"migrations when it starts (`manage.py migrate`, `django-admin migrate`, `alembic upgrade`, `flask db upgrade`, " +
			"`rails db:migrate`, `prisma migrate deploy`, `php artisan migrate`, `sequelize db:migrate`, `knex migrate:latest`, " +
			"`goose up`, golang-migrate's `migrate … up`, `flyway migrate`, `liquibase update`, `kong migrations up`…), in its " +
			"`command` or `entrypoint`, in an `sh -c` body, or in a script of the project that these run (followed up to three " +
			"scripts deep, through `&&`, `if`, `case \"$1\"`, functions, `exec` and `source`). It is reported at the `command` " +
			"or `entrypoint` key; when the migration is in a script, the message names the script and line. `migrate --check`, " +
			"`--plan`, `showmigrations` and `makemigrations` do not count.",
		Why: "Every replica starts at the same time and runs the same migrations against the same database: they race, and " +
			"migrations that are not idempotent fail half-way or apply twice. The wemake-django-template's production " +
			"checklist says it of its own `gunicorn.sh`: \"when scaling your container for multiple nodes you will have " +
			"multiple threads running the same migrations\", and advises to \"create a separate container to do just that\". " +
			"Run them once, in a one-shot service the app waits for (`condition: service_completed_successfully`).",
		Example: "services:\n  web:\n    image: myapp\n    command: sh -c \"python manage.py migrate && gunicorn server.wsgi\"\n" +
			"    deploy:\n      replicas: 4\n",
		Instead: "services:\n  web: &web\n    image: myapp\n    command: gunicorn server.wsgi\n    deploy:\n      replicas: 4\n" +
			"    depends_on:\n      migrate:\n        condition: service_completed_successfully\n" +
			"  migrate:\n    image: myapp\n    command: python manage.py migrate\n    restart: \"no\"\n",
	},
}

func migrationsOnScaledService(p *lint.Pass) {
	if p.Env == nil || p.Env.Project == nil {
		return
	}
	for _, svc := range p.Services() {
		n := migReplicas(svc)
		if n <= 1 || (len(svc.Entrypoint) == 0 && len(svc.Command) == 0) {
			continue
		}
		sc := &shell.Scanner{Resolve: migScriptResolver(p, svc), Read: migReadProjectFile(p), Match: shell.MatchMigration}
		var hits []shell.Hit
		if len(svc.Entrypoint) > 0 && len(svc.Command) > 0 {
			// The command on its own too: an entrypoint script that ends
			// with `exec "$@"` runs it.
			for _, h := range sc.ScanArgv(svc.Command) {
				h.ArgIdx += len(svc.Entrypoint)
				hits = append(hits, h)
			}
		}
		hits = append(hits, sc.ScanArgv(append(append([]string{}, svc.Entrypoint...), svc.Command...))...)
		reported := map[string]bool{}
		for _, h := range hits {
			key := "command"
			if h.ArgIdx < len(svc.Entrypoint) {
				key = "entrypoint"
			}
			if reported[key] {
				continue
			}
			reported[key] = true
			p.ReportPath(index.Path{"services", svc.Name, key}, migMigrationMessage(p, svc, n, key, h))
		}
	}
}

// migReplicas is how many containers of the service run.
func migReplicas(svc types.ServiceConfig) int {
	n := 1
	if svc.Scale != nil {
		n = *svc.Scale
	}
	if svc.Deploy != nil && svc.Deploy.Replicas != nil && *svc.Deploy.Replicas > n {
		n = *svc.Deploy.Replicas
	}
	return n
}

func migMigrationMessage(p *lint.Pass, svc types.ServiceConfig, n int, key string, h shell.Hit) string {
	where := ""
	for _, rp := range []index.Path{{"services", svc.Name, "deploy", "replicas"}, {"services", svc.Name, "scale"}} {
		if d := p.Env.Index.Get(rp); d != nil {
			where = fmt.Sprintf(" (%s, %s:%d)", strings.Join(rp[2:], "."), source.Rel(p.Project.Dir, d.File.Path), d.Value.Line)
			break
		}
	}
	text := h.Text
	if len(text) > 100 {
		text = text[:97] + "..."
	}
	var what string
	if h.File == "" {
		what = fmt.Sprintf("its %s runs database migrations on every start (%q)", key, text)
	} else {
		what = fmt.Sprintf("its %s runs database migrations on every start: %s:%d runs %q", key, source.Rel(p.Project.Dir, h.File), h.Line, text)
	}
	base := "build: <as " + svc.Name + ">"
	if a := migMergeAnchor(p, svc.Name); a != "" {
		base = "<<: *" + a
	} else if svc.Image != "" {
		base = "image: " + svc.Image
	}
	return fmt.Sprintf("%s runs %d replicas%s and %s: the replicas race each other on the same database; run migrations once, "+
		"in a one-shot service (e.g. `migrate: {%s, command: %s, restart: \"no\"}`), remove them from %s's start, and add "+
		"`depends_on: {migrate: {condition: service_completed_successfully}}` to %s",
		svc.Name, n, where, what, base, text, svc.Name, svc.Name)
}

// migMergeAnchor returns the anchor a service's definition merges (`<<: *web`),
// or "".
func migMergeAnchor(p *lint.Pass, name string) string {
	for _, d := range p.Env.Index.Defs(index.Path{"services", name}) {
		v := d.Value
		if v == nil || v.Kind != yaml.MappingNode {
			continue
		}
		if v.Anchor != "" {
			return v.Anchor // web: &web
		}
		for i := 0; i+1 < len(v.Content); i += 2 {
			if v.Content[i].Value != "<<" {
				continue
			}
			switch m := v.Content[i+1]; {
			case m.Kind == yaml.AliasNode:
				return m.Value // <<: *app
			case m.Anchor != "":
				return m.Anchor // <<: &web {…}
			}
		}
	}
	return ""
}

func migReadProjectFile(p *lint.Pass) func(string) []byte {
	return func(abs string) []byte {
		if p.Project.ReadFile == nil {
			return nil
		}
		f, err := p.Project.ReadFile(abs)
		if err != nil || f == nil {
			return nil
		}
		return f.Content
	}
}

// migScriptResolver maps a script path as the service's container sees it to
// a file of the project: through the service's bind mounts of the project,
// its working_dir, its Dockerfile's WORKDIR and COPY, and, for relative
// paths, the build context and the project directory.
func migScriptResolver(p *lint.Pass, svc types.ServiceConfig) func(string) string {
	dir := filepath.Clean(p.Project.Dir)
	inProject := func(abs string) bool { return source.Within(dir, abs) }
	isFile := func(abs string) bool {
		if !inProject(abs) {
			return false
		}
		st, err := os.Stat(abs)
		return err == nil && st.Mode().IsRegular()
	}
	context := ""
	if svc.Build != nil && svc.Build.Context != "" && !strings.Contains(svc.Build.Context, "://") && inProject(svc.Build.Context) {
		context = filepath.Clean(svc.Build.Context)
	}
	df := migDockerfileLayout(p, svc, context)
	workdir := svc.WorkingDir
	if workdir == "" {
		workdir = df.Workdir
	}
	fromContainer := func(c string) []string {
		c = path.Clean(c)
		var out []string
		for _, v := range svc.Volumes {
			if v.Type != types.VolumeTypeBind || v.Source == "" || v.Target == "" {
				continue
			}
			t := path.Clean(v.Target)
			if c == t {
				out = append(out, v.Source)
			} else if strings.HasPrefix(c, strings.TrimSuffix(t, "/")+"/") {
				out = append(out, filepath.Join(v.Source, filepath.FromSlash(strings.TrimPrefix(c, t))))
			}
		}
		out = append(out, df.HostPath(c)...)
		if context != "" {
			// the last resort: the path's tail inside the build context
			// (COPY . /app, then /app/docker/start.sh)
			segs := strings.Split(strings.TrimPrefix(c, "/"), "/")
			for i := range segs {
				out = append(out, filepath.Join(context, filepath.FromSlash(strings.Join(segs[i:], "/"))))
			}
		}
		return out
	}
	return func(s string) string {
		if s == "" || strings.Contains(s, "$") {
			return ""
		}
		var cands []string
		if path.IsAbs(s) {
			cands = fromContainer(s)
		} else {
			if workdir != "" && path.IsAbs(workdir) {
				cands = append(cands, fromContainer(path.Join(workdir, s))...)
			}
			if context != "" {
				cands = append(cands, filepath.Join(context, filepath.FromSlash(s)))
			}
			cands = append(cands, filepath.Join(dir, filepath.FromSlash(s)))
		}
		for _, c := range cands {
			if isFile(c) {
				return c
			}
		}
		return ""
	}
}

// migDockerfileLayout reads where the Dockerfile of the stage the service
// builds (and of the stages it is built FROM) puts the project's files.
func migDockerfileLayout(p *lint.Pass, svc types.ServiceConfig, context string) dockerfile.Layout {
	if context == "" || svc.Build == nil || p.Project.ReadFile == nil {
		return dockerfile.Layout{}
	}
	content, ok := services.Dockerfile(p.Project, svc)
	if !ok {
		return dockerfile.Layout{}
	}
	return dockerfile.ReadLayout(dockerfile.Chain(dockerfile.Parse(content), svc.Build.Target), context)
}
