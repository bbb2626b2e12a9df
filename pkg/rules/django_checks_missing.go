package rules

import (
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/composelint/composelint/pkg/caddyconf"
	"github.com/composelint/composelint/pkg/ciscript"
	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/source"
)

var DjangoChecksMissing = &lint.Rule{
	ID:       "django-checks-missing",
	Summary:  "the CI script does not run the Django checks the production guide requires",
	Severity: lint.Warning,
	Scope:    lint.PerProject,
	Run:      djangoChecksMissing,
	Doc: lint.Doc{
		What: "Finds a Django project's CI script the way the project runs it — a CI config (`.gitlab-ci.yml`, " +
			"`.github/workflows/*.yml`) that runs a script of the project, in a compose service (`docker compose run " +
			"--rm web ./docker/django/ci.sh`) or not, else the conventional `docker/django/ci.sh` — reads it with a " +
			"shell parser (functions, `&&` chains, line continuations, `VAR=value` prefixes, `export`s, the scripts it " +
			"runs) and reports, at the CI line that runs it (or the script's first line), each of the guide's checks it " +
			"does not run: `python manage.py makemigrations --dry-run --check`, `DJANGO_ENV=production python manage.py " +
			"collectstatic --no-input --dry-run` and `DJANGO_ENV=production python manage.py check --deploy --fail-level " +
			"WARNING`. Flags in any order and spelling (`--fail-level=WARNING`) are the same check; `makemigrations " +
			"--check` alone is enough (since Django 4.2 it writes nothing), and so is a `collectstatic` that writes; " +
			"the production settings are part of the last two (`DJANGO_ENV=production`, a production " +
			"`DJANGO_SETTINGS_MODULE` or `--settings`). Commands the CI config runs directly count too, and so do the " +
			"`RUN`s of the Dockerfiles the project's services build (a `collectstatic` there fails the image build; " +
			"unless the stage's `ENV` names other settings, it runs with the image's own, production's). A project whose " +
			"Caddy serves plain HTTP on purpose (the case `https-inconsistent` looks at) may leave out `check --deploy`. " +
			"A project without `manage.py`, or without a CI script, is not checked.",
		Why: "The wemake-django-template's production guide has CI prove, before anything is deployed, that the " +
			"models and migrations agree (a model change without its migration breaks the next deploy), that static " +
			"files collect with the production storage (ManifestStaticFilesStorage fails on a missing file at collect " +
			"time, not in the browser), and that the production settings pass Django's deployment checks (DEBUG, " +
			"SECRET_KEY, HTTPS and cookie flags). Run with the development settings, the last two prove nothing about " +
			"production. The template's first CI script ran none of them.",
		Syntax: "sh",
		Example: "# docker/django/ci.sh, run by .gitlab-ci.yml: docker compose run --rm web ./docker/django/ci.sh\n" +
			"pytest\npython manage.py check --deploy\n",
		Instead: "pytest\npython manage.py makemigrations --dry-run --check\n" +
			"DJANGO_ENV=production python manage.py collectstatic --no-input --dry-run\n" +
			"DJANGO_ENV=production python manage.py check --deploy --fail-level WARNING\n",
	},
}

// djangoCheck is one check of the guide.
type djangoCheck struct {
	Sub        string     // manage.py subcommand
	Flags      [][]string // each group: one of its spellings must be present
	Production bool       // must run with the production settings
	Text       string     // the command, as the guide writes it
}

var djangoChecks = []djangoCheck{
	{"makemigrations", [][]string{{"--check"}}, false, "python manage.py makemigrations --dry-run --check"},
	// A collectstatic that writes proves as much as a dry run.
	{"collectstatic", nil, true,
		"DJANGO_ENV=production python manage.py collectstatic --no-input --dry-run"},
	{"check", [][]string{{"--deploy"}, {"--fail-level=WARNING", "--fail-level=ERROR", "--fail-level=CRITICAL"}}, true,
		"DJANGO_ENV=production python manage.py check --deploy --fail-level WARNING"},
}

func djangoChecksMissing(p *lint.Pass) {
	if !djangoProject(p.Project.Dir) {
		return
	}
	entries, direct := ciscript.Entries(p.Project)
	var at *source.File
	line := 1
	var scripts []*source.File
	cmds := slices.Clone(direct)
	for _, e := range entries {
		if slices.ContainsFunc(scripts, func(f *source.File) bool { return f.Path == e.Script.Path }) {
			continue
		}
		// The CI script runs in the app's service, or runs Django commands
		// itself: a script the runner runs to switch the override, build a
		// package or start pytest in a service is not it.
		sc := ciscript.ScriptCommands(p.Project, e.Script)
		if e.Service == "" && !slices.ContainsFunc(sc, func(c ciscript.Command) bool { _, ok := manageCommand(c.Words, ""); return ok }) {
			continue
		}
		scripts, cmds = append(scripts, e.Script), append(cmds, sc...)
		if at == nil {
			at, line = e.Config, e.Line
		}
	}
	if len(scripts) == 0 {
		for _, c := range direct {
			if _, ok := manageCommand(c.Words, ""); ok && at == nil {
				at, line = c.File, c.Line // CI runs Django commands itself
			}
		}
	}
	if at == nil {
		conventional := filepath.Join(p.Project.Dir, "docker", "django", "ci.sh")
		f, err := p.Project.ReadFile(conventional)
		if err != nil {
			return
		}
		scripts = append(scripts, f)
		cmds = append(cmds, ciscript.ScriptCommands(p.Project, f)...)
		at = f
	}
	cmds = append(cmds, imageBuildCommands(p, cmds)...)
	var problems []string
	for _, chk := range djangoChecks {
		if chk.Sub == "check" && caddyconf.PlainHTTPOnly(p) {
			continue
		}
		if msg := djangoCheckProblem(chk, cmds); msg != "" {
			problems = append(problems, msg)
		}
	}
	if len(problems) == 0 {
		return
	}
	what := "the CI config " + source.Rel(p.Project.Dir, at.Path)
	if len(scripts) > 0 {
		what = "the CI script " + source.Rel(p.Project.Dir, scripts[0].Path)
		if at != scripts[0] {
			what += ", which " + source.Rel(p.Project.Dir, at.Path) + " runs,"
		}
	}
	p.ReportRange(at, at.LineRange(line), fmt.Sprintf("%s %s; add them so that CI proves the release before it "+
		"is deployed", what, strings.Join(problems, "; ")))
}

// imageBuildCommands are the commands that the Dockerfiles the project's
// services build, or CI builds (`docker build` among ciCmds), RUN, each
// with its stage's ENV: a collectstatic there fails the image build when a
// static file is missing (bakerydemo, Kiwi, django-cms-quickstart collect
// when the image is built). Settings the stage does not name are those the
// image is built with, which are the settings production runs: they count
// as production.
func imageBuildCommands(p *lint.Pass, ciCmds []ciscript.Command) []ciscript.Command {
	var dockerfiles [][]byte
	for _, env := range p.Project.Environments {
		if env.Project == nil {
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(env.Project.Services)) {
			if content, ok := services.Dockerfile(p.Project, env.Project.Services[name]); ok {
				dockerfiles = append(dockerfiles, content)
			}
		}
	}
	for _, path := range ciBuiltDockerfiles(p.Project.Dir, ciCmds) {
		if f, err := p.Project.ReadFile(path); err == nil && f != nil {
			dockerfiles = append(dockerfiles, f.Content)
		}
	}
	seen := map[string]bool{}
	var out []ciscript.Command
	for _, content := range dockerfiles {
		if seen[string(content)] {
			continue
		}
		seen[string(content)] = true
		for _, st := range dockerfile.Parse(content) {
			out = append(out, stageCommands(st)...)
		}
	}
	return out
}

// ciBuiltDockerfiles are the Dockerfiles of the `docker build` (`docker
// buildx build`, `docker image build`) commands CI runs from the project
// directory: `-f FILE`, else CONTEXT/Dockerfile, the context last.
func ciBuiltDockerfiles(dir string, cmds []ciscript.Command) []string {
	var out []string
	for _, c := range cmds {
		w := c.Words
		if len(w) < 3 || path.Base(w[0]) != "docker" {
			continue
		}
		args, ok := slices.Clone(w[2:]), w[1] == "build"
		if (w[1] == "buildx" || w[1] == "image") && len(w) > 3 && w[2] == "build" {
			args, ok = slices.Clone(w[3:]), true
		}
		if !ok || len(args) == 0 || strings.HasPrefix(args[len(args)-1], "-") || strings.Contains(args[len(args)-1], "://") {
			continue
		}
		file := filepath.Join(args[len(args)-1], "Dockerfile")
		for i, a := range args {
			if (a == "-f" || a == "--file") && i+1 < len(args) {
				file = args[i+1]
			} else if v, ok := strings.CutPrefix(a, "--file="); ok {
				file = v
			}
		}
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		out = append(out, file)
	}
	return out
}

// stageCommands are a Dockerfile stage's RUN commands with the variables
// its ENV instructions set before them.
func stageCommands(st dockerfile.Stage) []ciscript.Command {
	env := map[string]string{}
	var out []ciscript.Command
	for _, in := range st.Instrs {
		switch in.Cmd {
		case "ENV":
			words := in.Words()
			if len(words) > 1 && !strings.Contains(words[0], "=") { // ENV KEY value
				env[words[0]] = strings.Join(words[1:], " ")
				continue
			}
			for _, w := range words {
				if k, v, ok := strings.Cut(w, "="); ok {
					env[k] = strings.Trim(v, `"'`)
				}
			}
		case "RUN":
			for _, c := range ciscript.ShellCommands(nil, in.Args, in.Line, maps.Clone(env)) {
				_, named := c.Env["DJANGO_SETTINGS_MODULE"]
				if _, ok := c.Env["DJANGO_ENV"]; !ok && !named {
					c.Env["DJANGO_ENV"] = "production" // the image's own settings
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// djangoCheckProblem says how the commands fall short of a check ("" when
// one of them runs it).
func djangoCheckProblem(chk djangoCheck, cmds []ciscript.Command) string {
	partial := ""
	for _, c := range cmds {
		args, ok := manageCommand(c.Words, chk.Sub)
		if !ok {
			continue
		}
		missing := ""
		for _, group := range chk.Flags {
			if !slices.ContainsFunc(group, func(flag string) bool { return hasArg(args, flag) }) {
				missing = group[0]
				break
			}
		}
		switch {
		case missing != "":
			partial = fmt.Sprintf("runs `manage.py %s` without %s: run `%s`", chk.Sub, missing, chk.Text)
		case chk.Production && !productionSettings(c.Env, args):
			partial = fmt.Sprintf("runs `manage.py %s` with the development settings: run `%s`", chk.Sub, chk.Text)
		default:
			return ""
		}
	}
	if partial != "" {
		return partial
	}
	return fmt.Sprintf("does not run `%s`", chk.Text)
}

// manageCommand reads `[python[3]] [-W…] manage.py SUB ARGS…`, `django-admin
// SUB ARGS…`, `python -m django SUB ARGS…` (behind uv run, poetry run…) and
// returns ARGS when SUB is sub (any subcommand when sub is "").
func manageCommand(words []string, sub string) ([]string, bool) {
	for i, w := range words {
		isManage := path.Base(w) == "manage.py" || path.Base(w) == "django-admin" || path.Base(w) == "django-admin.py" ||
			(w == "django" && i > 0 && words[i-1] == "-m")
		if !isManage {
			continue
		}
		for j := i + 1; j < len(words); j++ {
			if strings.HasPrefix(words[j], "-") {
				continue
			}
			if words[j] == sub || sub == "" {
				return words[j+1:], true
			}
			return nil, false
		}
	}
	return nil, false
}

// hasArg tells whether args hold flag, also as `--flag VALUE` for a flag
// written `--flag=VALUE`, case-insensitively in the value.
func hasArg(args []string, flag string) bool {
	name, value, withValue := strings.Cut(flag, "=")
	for i, a := range args {
		if !withValue {
			if a == flag {
				return true
			}
			continue
		}
		if strings.EqualFold(a, flag) || (a == name && i+1 < len(args) && strings.EqualFold(args[i+1], value)) {
			return true
		}
	}
	return false
}

// productionSettings tells whether a manage.py command runs with the
// production settings: DJANGO_ENV=production (the template's switch), a
// DJANGO_SETTINGS_MODULE or --settings naming a production module.
func productionSettings(env map[string]string, args []string) bool {
	isProd := func(s string) bool { return strings.Contains(strings.ToLower(s), "prod") }
	if v, ok := env["DJANGO_ENV"]; ok && isProd(v) {
		return true
	}
	if v, ok := env["DJANGO_SETTINGS_MODULE"]; ok && isProd(v) {
		return true
	}
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--settings="); ok && isProd(v) {
			return true
		}
		if a == "--settings" && i+1 < len(args) && isProd(args[i+1]) {
			return true
		}
	}
	return false
}

// djangoProject tells a Django project: a manage.py at its root or one level below.
func djangoProject(dir string) bool {
	if source.CheckRegular(filepath.Join(dir, "manage.py")) == nil {
		return true
	}
	m, _ := filepath.Glob(filepath.Join(dir, "*", "manage.py"))
	return len(m) > 0
}
