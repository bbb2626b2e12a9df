package rules

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
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
	for _, svc := range services(p) {
		n := migReplicas(svc)
		if n <= 1 || (len(svc.Entrypoint) == 0 && len(svc.Command) == 0) {
			continue
		}
		sc := &migShellScanner{resolve: migScriptResolver(p, svc), read: migReadProjectFile(p), active: map[string]bool{}}
		argv := append(append([]string{}, svc.Entrypoint...), svc.Command...)
		if len(svc.Entrypoint) > 0 && len(svc.Command) > 0 {
			// The command on its own too: an entrypoint script that ends
			// with `exec "$@"` runs it.
			cmd := &migShellScanner{resolve: sc.resolve, read: sc.read, active: map[string]bool{}}
			cmd.scanArgv(svc.Command)
			for _, h := range cmd.hits {
				h.argIdx += len(svc.Entrypoint)
				sc.hits = append(sc.hits, h)
			}
		}
		sc.scanArgv(argv)
		reported := map[string]bool{}
		for _, h := range sc.hits {
			key := "command"
			if h.argIdx < len(svc.Entrypoint) {
				key = "entrypoint"
			}
			if reported[key] {
				continue
			}
			reported[key] = true
			reportPath(p, index.Path{"services", svc.Name, key}, migMigrationMessage(p, svc, n, key, h))
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

func migMigrationMessage(p *lint.Pass, svc types.ServiceConfig, n int, key string, h migMigrationHit) string {
	where := ""
	for _, rp := range []index.Path{{"services", svc.Name, "deploy", "replicas"}, {"services", svc.Name, "scale"}} {
		if d := p.Env.Index.Get(rp); d != nil {
			where = fmt.Sprintf(" (%s, %s:%d)", strings.Join(rp[2:], "."), resRelPath(p.Project.Dir, d.File.Path), d.Value.Line)
			break
		}
	}
	text := h.text
	if len(text) > 100 {
		text = text[:97] + "..."
	}
	var what string
	if h.file == "" {
		what = fmt.Sprintf("its %s runs database migrations on every start (%q)", key, text)
	} else {
		what = fmt.Sprintf("its %s runs database migrations on every start: %s:%d runs %q", key, resRelPath(p.Project.Dir, h.file), h.line, text)
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
	inProject := func(abs string) bool {
		rel, err := filepath.Rel(dir, abs)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
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
		workdir = df.workdir
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
		out = append(out, df.hostPath(c)...)
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

// migDfLayout is what a Dockerfile says about where files end up.
type migDfLayout struct {
	workdir string
	copies  []migDfCopy
}

type migDfCopy struct {
	srcs []string // host paths (absolute, in the build context; may hold globs)
	dest string   // container path (absolute; ends with / for a directory)
}

// hostPath maps a container path back to the host paths it may have been
// copied from, later COPY first.
func (l migDfLayout) hostPath(c string) []string {
	var out []string
	for i := len(l.copies) - 1; i >= 0; i-- {
		cp := l.copies[i]
		destDir := strings.HasSuffix(cp.dest, "/") || len(cp.srcs) > 1
		dest := path.Clean(cp.dest)
		for _, src := range cp.srcs {
			st, err := os.Stat(src)
			isDir := err == nil && st.IsDir()
			switch {
			case isDir:
				if c == dest {
					continue
				}
				if strings.HasPrefix(c, strings.TrimSuffix(dest, "/")+"/") {
					out = append(out, filepath.Join(src, filepath.FromSlash(strings.TrimPrefix(c, dest))))
				}
			case strings.ContainsAny(filepath.Base(src), "*?["):
				if path.Dir(c) == dest {
					if m, _ := filepath.Match(filepath.Base(src), path.Base(c)); m {
						out = append(out, filepath.Join(filepath.Dir(src), path.Base(c)))
					}
				}
			case destDir:
				if c == path.Join(dest, filepath.Base(src)) {
					out = append(out, src)
				}
			default:
				if c == dest {
					out = append(out, src)
				}
			}
		}
	}
	return out
}

// migDockerfileLayout reads the WORKDIR and COPY/ADD instructions of the stage
// the service builds (and of the stages it is built FROM).
func migDockerfileLayout(p *lint.Pass, svc types.ServiceConfig, context string) migDfLayout {
	if context == "" || svc.Build == nil || p.Project.ReadFile == nil {
		return migDfLayout{}
	}
	content, ok := readDockerfile(p, svc)
	if !ok {
		return migDfLayout{}
	}
	chain := stageChain(parseDockerfile(content), svc.Build.Target)
	l := migDfLayout{workdir: "/"}
	for _, st := range chain {
		for _, in := range st.Instrs {
			kw := in.Cmd
			if kw != "WORKDIR" && kw != "COPY" && kw != "ADD" {
				continue
			}
			var args []string
			if strings.HasPrefix(in.Args, "[") {
				if json.Unmarshal([]byte(in.Args), &args) != nil {
					continue
				}
			} else {
				args = strings.Fields(in.Args)
			}
			if kw == "WORKDIR" {
				if len(args) > 0 && !strings.Contains(args[0], "$") {
					l.workdir = path.Join(l.workdir, args[0])
				}
				continue
			}
			var files []string
			skip := false
			for _, a := range args {
				if strings.HasPrefix(a, "--") {
					if strings.HasPrefix(a, "--from") {
						skip = true
					}
					continue
				}
				files = append(files, a)
			}
			if skip || len(files) < 2 {
				continue
			}
			dest := files[len(files)-1]
			if strings.Contains(dest, "$") {
				continue
			}
			if !path.IsAbs(dest) {
				trail := strings.HasSuffix(dest, "/") || dest == "."
				dest = path.Join(l.workdir, dest)
				if trail {
					dest += "/"
				}
			}
			cp := migDfCopy{dest: dest}
			for _, src := range files[:len(files)-1] {
				if strings.Contains(src, "://") || strings.Contains(src, "$") {
					continue
				}
				cp.srcs = append(cp.srcs, filepath.Join(context, filepath.FromSlash(src)))
			}
			l.copies = append(l.copies, cp)
		}
	}
	if l.workdir == "/" {
		l.workdir = ""
	}
	return l
}
