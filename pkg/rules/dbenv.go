package rules

// Helpers of the rules about what production runs and where it finds its
// database: database-in-production, external-database-host,
// depends-on-undefined, development-only-in-production.

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// dbenvSetting is one environment variable of a service in the merged model,
// and where it got its value: a compose file's `environment` (Path) or an
// env file (File and Range, the variable's name on its line).
type dbenvSetting struct {
	Key, Value string
	Path       index.Path
	File       *source.File
	Range      source.Range
}

// fromEnvFile says whether the value came from an env file.
func (e dbenvSetting) fromEnvFile() bool { return e.File != nil }

// dbenvLookup returns variable key of svc and where it was set; false when
// the service does not set it (or sets it without a value).
func dbenvLookup(p *lint.Pass, svc types.ServiceConfig, key string) (dbenvSetting, bool) {
	v, ok := svc.Environment[key]
	if !ok || v == nil {
		return dbenvSetting{}, false
	}
	e := dbenvSetting{Key: key, Value: *v, Path: index.Path{"services", svc.Name, "environment", key}}
	if p.Env.Index.Get(e.Path) != nil {
		return e, true
	}
	// `environment` wins over env files, and a later env file over an earlier one.
	var lastExisting string
	for i := len(svc.EnvFiles) - 1; i >= 0; i-- {
		ef := svc.EnvFiles[i]
		if p.Env.MissingEnvFiles[ef.Path] || p.Project.ReadFile == nil {
			continue
		}
		f, err := p.Project.ReadFile(ef.Path)
		if err != nil {
			continue
		}
		if lastExisting == "" {
			lastExisting = ef.Path
		}
		if r, ok := dbenvKeyRange(f, key); ok {
			e.File, e.Range = f, r
			return e, true
		}
	}
	if lastExisting != "" {
		// Set by an env file in a way we did not recognise: point at the env_file entry.
		e.Path = index.Path{"services", svc.Name, "env_file", index.Item(lastExisting)}
	}
	return e, true
}

// dbenvKeyRange finds the last line of an env file that assigns key
// (`KEY=value`, `export KEY=value`, `KEY: value`) and returns the range of
// the name on it.
func dbenvKeyRange(f *source.File, key string) (source.Range, bool) {
	var found source.Range
	ok := false
	for n := 1; n <= f.Lines(); n++ {
		line := f.Line(n)
		rest := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(rest, "export ") {
			rest = strings.TrimLeft(strings.TrimPrefix(rest, "export "), " \t")
		}
		if !strings.HasPrefix(rest, key) {
			continue
		}
		after := strings.TrimLeft(rest[len(key):], " \t")
		if after == "" || (after[0] != '=' && after[0] != ':') {
			continue
		}
		start := utf8.RuneCountInString(line[:len(line)-len(rest)]) + 1
		found = source.Range{Start: source.Pos{Line: n, Col: start}, End: source.Pos{Line: n, Col: start + utf8.RuneCountInString(key)}}
		ok = true
	}
	return found, ok
}

// dbenvRel shows a project file relative to the project directory.
func dbenvRel(p *lint.Pass, path string) string {
	return source.Rel(p.Project.Dir, path)
}

// dbenvDefinedElsewhere returns the files (relative, sorted) that define
// service name in the project's other environments, and those environments' names.
func dbenvDefinedElsewhere(p *lint.Pass, name string) (files, envs []string) {
	for _, env := range p.Project.Environments {
		if env == p.Env || env.Index == nil {
			continue
		}
		defs := env.Index.Defs(index.Path{"services", name})
		if len(defs) == 0 {
			continue
		}
		envs = append(envs, env.Name)
		if f := dbenvRel(p, defs[0].File.Path); !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	slices.Sort(files)
	return files, envs
}

// dbenvDevFile names the file development-only settings belong in: the
// last file of the development environment that this environment does not
// load, else docker-compose.override.yml.
func dbenvDevFile(p *lint.Pass) string {
	loaded := map[string]bool{}
	for _, f := range p.Env.Files {
		loaded[f.Path] = true
	}
	for _, env := range p.Project.Environments {
		if env == p.Env || env.Name != "development" {
			continue
		}
		for i := len(env.Files) - 1; i >= 0; i-- {
			if !loaded[env.Files[i].Path] {
				return dbenvRel(p, env.Files[i].Path)
			}
		}
	}
	return "docker-compose.override.yml"
}

// dbenvDevelopmentFile is dbenvDevFile, and whether the project has a
// development environment besides this one, to which development-only
// settings can move (its override, created when missing).
func dbenvDevelopmentFile(p *lint.Pass) (string, bool) {
	for _, env := range p.Project.Environments {
		if env != p.Env && env.Name == "development" {
			return dbenvDevFile(p), true
		}
	}
	return dbenvDevFile(p), false
}

// dbenvHasService tells whether the environment has service name, enabled or
// disabled by a profile.
func dbenvHasService(proj *types.Project, name string) bool {
	if _, ok := proj.Services[name]; ok {
		return true
	}
	_, ok := proj.DisabledServices[name]
	return ok
}

// dbenvStarts tells whether `docker compose up` starts svc: it has no
// profile, or COMPOSE_PROFILES (from .env or --env) enables one of them.
// A service behind a profile that is not enabled is an opt-in choice.
func dbenvStarts(p *lint.Pass, svc types.ServiceConfig) bool {
	if len(svc.Profiles) == 0 {
		return true
	}
	for _, e := range strings.Split(p.Project.Vars["COMPOSE_PROFILES"], ",") {
		e = strings.TrimSpace(e)
		if e == "*" || (e != "" && slices.Contains(svc.Profiles, e)) {
			return true
		}
	}
	return false
}

// prodfixReport reports msg where an environment variable was set (a
// compose file's `environment`, or an env file), with fixes.
func prodfixReport(p *lint.Pass, e dbenvSetting, msg string, fixes ...lint.Fix) {
	if e.File != nil {
		p.ReportRange(e.File, e.Range, msg, fixes...)
		return
	}
	p.ReportPath(e.Path, msg, fixes...)
}
