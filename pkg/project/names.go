package project

import (
	"path/filepath"
	"slices"
	"strings"
)

// searchDirs are where projects keep their compose files, relative to the
// project directory, in the order a base file is looked for.
var searchDirs = []string{".", "docker", "deploy", "deployment", "compose", ".docker"}

// role is what a compose file is to its project, as its name says.
type role int

const (
	// roleAside: a variant (docker-compose.no-caddy.yml), an example, a
	// test, CI or devcontainer file: an environment only when configured.
	roleAside       role = iota
	roleBase             // what `docker compose` loads by default
	roleOverride         // the default override beside a base file
	roleProduction       // docker-compose.prod.yml, production.yml, …
	roleDevelopment      // docker-compose.dev.yml, local.yml, …
)

// roleWords are the words of a file name that give it a role.
var roleWords = map[string]role{
	"override": roleOverride,
	"prod":     roleProduction, "production": roleProduction, "deploy": roleProduction,
	"dev": roleDevelopment, "development": roleDevelopment, "local": roleDevelopment,
}

// asideWords mark files that are no environment unless configured.
var asideWords = map[string]bool{
	"example": true, "examples": true, "sample": true, "template": true, "dist": true,
	"test": true, "tests": true, "testing": true, "e2e": true, "ci": true, "devcontainer": true,
}

// fileName is what a file's name says about it.
type fileName struct {
	role role
	// extra counts the words besides the role word: production_worker.yml
	// is less the production file than production.yml.
	extra int
	// generic: named by its role alone (cookiecutter-django's local.yml),
	// so a compose file only if its content says so.
	generic bool
	// variant: "compose" is not the first word (podman-compose.yml).
	variant bool
	// named: a base by its name's word (docker-compose.base.yml), not one
	// docker compose loads by default: the base only where no such file is.
	named bool
}

// baseWords name a base file that docker compose does not load by default
// (docker-compose.base.yml under `-f base -f dev` or `-f base -f prod`).
var baseWords = map[string]bool{"base": true, "common": true}

// parseName reads a file name; ok is false for a name no compose file has.
func parseName(name string) (n fileName, ok bool) {
	for _, b := range BaseNames {
		if name == b {
			return fileName{role: roleBase}, true
		}
	}
	lower := strings.ToLower(name)
	stem, found := strings.CutSuffix(lower, ".yml")
	if !found {
		stem, found = strings.CutSuffix(lower, ".yaml")
	}
	if !found || stem == "" || strings.HasPrefix(stem, ".") {
		return n, false
	}
	words := strings.FieldsFunc(stem, func(c rune) bool { return c == '.' || c == '-' || c == '_' })
	switch {
	case len(words) >= 2 && words[0] == "docker" && words[1] == "compose":
		words = words[2:]
	case len(words) >= 1 && words[0] == "compose":
		words = words[1:]
	case slices.Contains(words, "compose"):
		// fetchmail-compose.yaml, podman-compose.yml: a variant
		words = slices.DeleteFunc(words, func(w string) bool { return w == "compose" || w == "docker" })
		n.variant = true
	default:
		if len(words) == 0 || roleWords[words[0]] < roleProduction {
			return n, false
		}
		n.generic = true
	}
	if len(words) == 0 || n.variant {
		return n, true // docker_compose.yml: compose does not load it by default
	}
	for _, w := range words {
		if asideWords[w] {
			return n, true
		}
	}
	if len(words) == 1 && baseWords[words[0]] {
		return fileName{role: roleBase, named: true}, true
	}
	for _, w := range words {
		if r := roleWords[w]; r != roleAside {
			n.role, n.extra = r, len(words)-1
			// docker-compose.override.dev.yml: a development override,
			// linked or copied to the default override's name.
			if r != roleOverride {
				break
			}
		}
	}
	if n.role == roleOverride && n.extra > 0 {
		n.role = roleAside // not the default override
	}
	return n, true
}

// IsComposeName reports whether a file's name marks it as a compose file:
// the base names docker compose looks for, their overrides and the like
// (docker-compose.prod.yml, compose.staging.yaml), and the environment
// files named by their role alone (local.yml, production.yml).
func IsComposeName(path string) bool {
	_, ok := parseName(filepath.Base(path))
	return ok
}
