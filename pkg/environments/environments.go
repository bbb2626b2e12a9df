// Package environments answers questions across a project's environments:
// which other environments define a service and in which files, where
// development-only settings belong, and which services `docker compose up`
// starts, or runs together (profiles).
package environments

import (
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// DefinedElsewhere returns the files (relative, sorted) that define
// service name in the project's other environments, and those environments' names.
func DefinedElsewhere(p *lint.Pass, name string) (files, envs []string) {
	for _, env := range p.Project.Environments {
		if env == p.Env || env.Index == nil {
			continue
		}
		defs := env.Index.Defs(index.Path{"services", name})
		if len(defs) == 0 {
			continue
		}
		envs = append(envs, env.Name)
		if f := source.Rel(p.Project.Dir, defs[0].File.Path); !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	slices.Sort(files)
	return files, envs
}

// devFile names the file development-only settings belong in: the
// last file of the development environment that this environment does not
// load, else docker-compose.override.yml.
func devFile(p *lint.Pass) string {
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
				return source.Rel(p.Project.Dir, env.Files[i].Path)
			}
		}
	}
	return "docker-compose.override.yml"
}

// DevelopmentFile is devFile, and whether the project has a
// development environment besides this one, to which development-only
// settings can move (its override, created when missing).
func DevelopmentFile(p *lint.Pass) (string, bool) {
	for _, env := range p.Project.Environments {
		if env != p.Env && env.Name == "development" {
			return devFile(p), true
		}
	}
	return devFile(p), false
}

// HasService tells whether the environment has service name, enabled or
// disabled by a profile.
func HasService(proj *types.Project, name string) bool {
	if _, ok := proj.Services[name]; ok {
		return true
	}
	_, ok := proj.DisabledServices[name]
	return ok
}

// Starts tells whether `docker compose up` starts svc: it has no
// profile, or COMPOSE_PROFILES (from .env or --env) enables one of them.
// A service behind a profile that is not enabled is an opt-in choice.
func Starts(proj *lint.Project, svc types.ServiceConfig) bool {
	return Enabled(svc.Profiles, ActiveProfiles(proj))
}

// ActiveProfiles are the profiles `docker compose up` enables: COMPOSE_PROFILES.
func ActiveProfiles(proj *lint.Project) []string {
	var out []string
	for _, s := range strings.Split(proj.Vars["COMPOSE_PROFILES"], ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Enabled tells whether `docker compose up` starts a service with these profiles.
func Enabled(profiles, active []string) bool {
	if len(profiles) == 0 || slices.Contains(active, "*") {
		return true
	}
	for _, pr := range profiles {
		if slices.Contains(active, pr) {
			return true
		}
	}
	return false
}

// RunTogether tells whether two services with these profiles can run in one
// `docker compose up`: when either has none (it always runs), or they share
// one. Services of different profiles are alternatives (cpu and gpu variants).
func RunTogether(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}
