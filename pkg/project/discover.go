package project

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/composelint/composelint/pkg/config"
)

// Note is something discovery wants the user to know: a guess it is unsure
// of, or an environment it did not find, with the line of the project's
// configuration file that settles it.
type Note struct {
	Msg string
	// Config is the configuration file Line belongs in (absolute).
	Config string
	// Line is YAML for Config, e.g. `environments: {production: [production.yml]}`.
	Line string
}

// found is a compose file in one of the search directories.
type found struct {
	path string
	fileName
	dir int // index in searchDirs
}

// scan lists the compose files of the project in dir, in search order.
func (fs files) scan(dir string) []found {
	var out []found
	for i, sub := range searchDirs {
		d := filepath.Join(dir, sub)
		for _, name := range fs.list(d) {
			n, ok := parseName(name)
			if !ok {
				continue
			}
			p := filepath.Join(d, name)
			if n.generic && !fs.hasServices(p) {
				continue // production.yml of Ansible, say
			}
			out = append(out, found{path: p, fileName: n, dir: i})
		}
	}
	return out
}

// scanLoose lists the YAML files of the search directories that no name
// marks as compose files but that define services (stack.yml): those that
// run on their own, or, when none does, all of them (fragments such as
// quickstart-postgres.yml over quickstart.yml do not run alone).
func (fs files) scanLoose(dir string) []found {
	var alone, all []found
	for i, sub := range searchDirs {
		d := filepath.Join(dir, sub)
		for _, name := range fs.list(d) {
			lower := strings.ToLower(name)
			if _, ok := parseName(name); ok || strings.HasPrefix(name, ".") ||
				!strings.HasSuffix(lower, ".yml") && !strings.HasSuffix(lower, ".yaml") {
				continue
			}
			p := filepath.Join(d, name)
			if !fs.hasServices(p) {
				continue
			}
			all = append(all, found{path: p, dir: i})
			if ok, _ := fs.standalone(p, ""); ok {
				alone = append(alone, found{path: p, dir: i})
			}
		}
	}
	if len(alone) > 0 {
		return alone
	}
	return all
}

// list returns the names of the regular files in dir, with the overlay's.
func (fs files) list(dir string) []string {
	var out []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if fs.exists(filepath.Join(dir, e.Name())) {
			out = append(out, e.Name())
		}
	}
	for p := range fs.overlay {
		if filepath.Dir(p) == dir && !slices.Contains(out, filepath.Base(p)) {
			out = append(out, filepath.Base(p))
		}
	}
	sort.Strings(out)
	return out
}

func (fs files) hasServices(path string) bool {
	s := fs.shape(path)
	return s != nil && s.services != nil
}

// standalone reads a production or development file: does it run alone
// beside the base file (none: ""), and, when it is read as an overlay,
// could it (then the guess is unsure)? A file that extends services from
// the base file (`extends: {file: docker-compose.base.yml}`) runs alone:
// an overlay does not take from the file it overlays.
func (fs files) standalone(path, base string) (alone, couldBe bool) {
	s := fs.shape(path)
	if s == nil {
		return false, false
	}
	if base != "" && s.extendsFrom(filepath.Dir(path), base) {
		return s.complete(), false
	}
	return s.standalone(base != ""), s.standalone(false)
}

// isProjectDir reports whether dir is the directory of a project: it has a
// configuration file, or compose files that make an environment.
func (fs files) isProjectDir(dir string) bool {
	if fs.exists(filepath.Join(dir, config.FileName)) {
		return true
	}
	for _, f := range fs.scan(dir) {
		if f.role != roleAside {
			return true
		}
	}
	return false
}

// Root returns the directory of the project a file belongs to, as Resolve
// finds it: the nearest directory at or above it that is a project's, or
// the parent of that directory when it is one of the places a project
// keeps its compose files (docker/, deploy/, …). ok is false when there is
// none. overlay holds unsaved contents, by absolute path.
func Root(path string, overlay map[string][]byte) (dir string, ok bool) {
	return newFiles(overlay).root(path)
}

func (fs files) root(path string) (string, bool) {
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if fs.isProjectDir(dir) {
			parent := filepath.Dir(dir)
			if parent != dir && !fs.exists(filepath.Join(dir, config.FileName)) &&
				slices.Contains(searchDirs[1:], filepath.Base(dir)) {
				return parent, true
			}
			return dir, true
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

// layout is what discovery found in a project directory.
type layout struct {
	dir            string
	base, override string
	// baseNamed: the base is named so (docker-compose.base.yml), and is no
	// environment on its own: only the first file of the others.
	baseNamed           bool
	prod, dev           []found // best first
	aside               []found
	loose               []found // YAML files with services, named otherwise
	prodAlone, devAlone bool
	// prodCouldBeAlone: the production file read as an overlay defines
	// complete services and loads on its own too.
	prodCouldBeAlone bool
	devCouldBeAlone  bool
	// baseDevSign, when the base file is all there is to production, says
	// what makes it read as a development setup instead.
	baseDevSign string
}

// notProductionDirs are directory names that say their compose file is not
// what production runs (documenso's docker/development and docker/testing
// beside docker/production).
var notProductionDirs = []string{"development", "dev", "local", "testing", "test", "tests", "e2e"}

// environments finds the environments of the project in dir, as a person
// reading its compose files would pick them, and says what it guessed.
func (fs files) environments(dir string) ([]config.Environment, []Note) {
	l := layout{dir: dir}
	var named []found // docker-compose.base.yml
	for _, f := range fs.scan(dir) {
		switch {
		case f.role == roleBase && f.named:
			named = append(named, f)
		case f.role == roleBase && l.base == "":
			l.base = f.path
		case f.role == roleProduction:
			l.prod = append(l.prod, f)
		case f.role == roleDevelopment:
			l.dev = append(l.dev, f)
		case f.role == roleAside:
			l.aside = append(l.aside, f)
		}
	}
	// A base named so is the first file of the environments only where no
	// base docker compose loads by default is, and other files go over it.
	if l.base == "" && len(named) > 0 && len(l.prod)+len(l.dev) > 0 {
		l.base, l.baseNamed = named[0].path, true
		named = named[1:]
	}
	l.aside = append(l.aside, named...)
	if l.base != "" && !l.baseNamed {
		l.override = fs.overrideOf(l.base)
		l.baseDevSign = fs.shape(l.base).developmentSign(filepath.Dir(l.base), dir)
		if name := filepath.Base(filepath.Dir(l.base)); l.baseDevSign == "" && slices.Contains(notProductionDirs, strings.ToLower(name)) {
			l.baseDevSign = "it is in a directory named " + name
		}
	}
	if l.base == "" && len(l.prod)+len(l.dev)+len(l.aside) == 0 {
		l.loose = fs.scanLoose(dir)
	}
	l.prod, l.dev = l.rank(l.prod), l.rank(l.dev)
	if len(l.prod) > 0 {
		l.prodAlone, l.prodCouldBeAlone = fs.standalone(l.prod[0].path, l.base)
		l.prodAlone = l.prodAlone || l.base == "" || l.prodCouldBeAlone && fs.runsAlone(dir, l.prod[0].path, l.base)
	}
	if len(l.dev) > 0 {
		l.devAlone, l.devCouldBeAlone = fs.standalone(l.dev[0].path, l.base)
		l.devAlone = l.devAlone || l.base == "" || l.devCouldBeAlone && fs.runsAlone(dir, l.dev[0].path, l.base)
	}
	return l.decide()
}

// rank orders candidates: the fewest words besides the role first (the
// production file, not production_worker.yml), then the base file's
// directory, then search order.
func (l *layout) rank(fs []found) []found {
	baseDir := filepath.Dir(l.base)
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.extra != b.extra {
			return a.extra < b.extra
		}
		if ai, bi := filepath.Dir(a.path) == baseDir, filepath.Dir(b.path) == baseDir; ai != bi {
			return ai
		}
		return a.dir < b.dir
	})
	return fs
}

// decide turns what was found into environments, development first.
func (l *layout) decide() ([]config.Environment, []Note) {
	var envs []config.Environment
	if dev := l.development(); dev != nil {
		envs = append(envs, config.Environment{Name: "development", Files: dev})
	}
	prod := l.production()
	if prod != nil {
		envs = append(envs, config.Environment{Name: "production", Files: prod})
	}
	if len(envs) == 0 {
		// Only files that are no environment: lint each on its own.
		for _, f := range l.others() {
			name := envName(f.path)
			if slices.ContainsFunc(envs, func(e config.Environment) bool { return e.Name == name }) {
				name = l.rel(f.path)
			}
			envs = append(envs, config.Environment{Name: name, Files: []string{f.path}})
		}
	}
	if len(envs) == 0 {
		return nil, nil
	}
	notes := l.notes(envs, prod)
	for i := range notes {
		notes[i].Config = filepath.Join(l.dir, config.FileName)
	}
	return envs, notes
}

// notes say what discovery guessed about envs, and the configuration that
// says otherwise.
func (l *layout) notes(envs []config.Environment, prod []string) []Note {
	var notes []Note
	switch {
	case prod == nil:
		named := slices.DeleteFunc(slices.Clone(envs), func(e config.Environment) bool { return e.Name != "development" })
		line := l.line(append(named, config.Environment{Name: "production", Files: envs[0].Files[:1]}))
		msg := "no production environment found, so the production rules did not run; to name one"
		if l.baseDevSign != "" && l.override == "" && len(l.dev) == 0 {
			msg = fmt.Sprintf("no production environment found: %s reads as development (%s), so the production rules did not run; if it is what you deploy",
				l.rel(l.base), l.baseDevSign)
		}
		notes = append(notes, Note{Msg: msg, Line: line})
	case len(l.prod) == 0:
		alt := []config.Environment{{Name: "development", Files: prod}}
		if envs[0].Name == "development" {
			alt = envs[:1]
		}
		why := "what `docker compose up` deploys"
		if l.override != "" {
			why = fmt.Sprintf("without %s, which reads as development settings", l.rel(l.override))
		}
		notes = append(notes, Note{Msg: fmt.Sprintf("%s is taken as production (%s); if it is for development only", l.rel(prod[0]), why), Line: l.line(alt)})
	case !l.prodAlone && l.prodCouldBeAlone:
		alt := slices.Clone(envs)
		alt[len(alt)-1] = config.Environment{Name: "production", Files: []string{prod[1]}}
		notes = append(notes, Note{Msg: fmt.Sprintf("%s is read as an overlay of %s (it declares no volumes or networks of its own); if it runs alone", l.rel(prod[1]), l.rel(l.base)), Line: l.line(alt)})
	case l.prodAlone && l.base != "":
		alt := slices.Clone(envs)
		alt[len(alt)-1] = config.Environment{Name: "production", Files: []string{l.base, prod[0]}}
		notes = append(notes, Note{Msg: fmt.Sprintf("%s is linted on its own (it defines every service it runs); if it overlays %s", l.rel(prod[0]), l.rel(l.base)), Line: l.line(alt)})
	}
	if len(l.prod) > 1 && l.prod[1].extra == l.prod[0].extra {
		alt := slices.Clone(envs)
		alt[len(alt)-1] = config.Environment{Name: "production", Files: []string{l.prod[1].path}}
		if !l.prodAlone {
			alt[len(alt)-1].Files = []string{l.base, l.prod[1].path}
		}
		notes = append(notes, Note{Msg: fmt.Sprintf("production is %s, not %s; if it is the other", l.rel(l.prod[0].path), l.rel(l.prod[1].path)), Line: l.line(alt)})
	}
	if dev := envs[0]; dev.Name == "development" && len(l.dev) > 0 && !l.devAlone && l.devCouldBeAlone && l.override == "" {
		alt := slices.Clone(envs)
		alt[0] = config.Environment{Name: "development", Files: []string{l.dev[0].path}}
		notes = append(notes, Note{Msg: fmt.Sprintf("%s is read as an overlay of %s (it declares no volumes or networks of its own); if it runs alone", l.rel(l.dev[0].path), l.rel(l.base)), Line: l.line(alt)})
	}
	return notes
}

// others are the files to lint on their own when no environment was
// found: those aside (examples, tests, variants), else any YAML file with
// services that runs on its own (stack.yml, quickstart.yml).
func (l *layout) others() []found {
	if len(l.aside) > 0 {
		return l.aside
	}
	return l.loose
}

// development: what `docker compose up` loads when there is an override,
// else a development file (over the base unless it stands alone), else
// the base when a production file exists.
func (l *layout) development() []string {
	switch {
	case l.override != "":
		return []string{l.base, l.override}
	case len(l.dev) > 0 && l.devAlone:
		return []string{l.dev[0].path}
	case len(l.dev) > 0:
		return []string{l.base, l.dev[0].path}
	case l.base != "" && !l.baseNamed && (len(l.prod) > 0 || l.baseDevSign != ""):
		return []string{l.base}
	}
	return nil
}

// production: a production file (over the base unless it stands alone),
// else the base alone, unless it reads as development: what `docker
// compose up` deploys, or, with an override, what is left without the
// development settings of the override.
func (l *layout) production() []string {
	switch {
	case len(l.prod) > 0 && l.prodAlone:
		return []string{l.prod[0].path}
	case len(l.prod) > 0:
		return []string{l.base, l.prod[0].path}
	case l.base != "" && !l.baseNamed && l.baseDevSign == "":
		return []string{l.base}
	}
	return nil
}

// line writes environments as a line of the configuration file.
func (l *layout) line(envs []config.Environment) string {
	var parts []string
	for _, e := range envs {
		var files []string
		for _, f := range e.Files {
			files = append(files, l.rel(f))
		}
		parts = append(parts, fmt.Sprintf("%s: [%s]", e.Name, strings.Join(files, ", ")))
	}
	return "environments: {" + strings.Join(parts, ", ") + "}"
}

func (l *layout) rel(path string) string {
	if rel, err := filepath.Rel(l.dir, path); err == nil {
		return filepath.ToSlash(rel)
	}
	return path
}

// envName names the environment of a file linted on its own: by what its
// name says after docker-compose (docker-compose.ci.yml: ci).
func envName(path string) string {
	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	for _, p := range []string{"docker-compose", "compose"} {
		if rest, ok := strings.CutPrefix(strings.ToLower(stem), p); ok && len(rest) > 1 {
			return strings.Trim(rest, ".-_")
		}
	}
	return stem
}

// WithoutBase returns the compose files discovery finds in dir (in it or
// in docker/, deploy/, …) when they are production or development files
// (over a base named so: docker-compose.base.yml) only, none the base file
// `docker compose` loads by default: a search by base names misses them.
func WithoutBase(dir string) []string {
	var files []string
	for _, f := range newFiles(nil).scan(dir) {
		if f.role == roleBase && !f.named || f.role == roleOverride {
			return nil
		}
		if f.role != roleAside {
			files = append(files, f.path)
		}
	}
	if root, ok := Root(filepath.Join(dir, "compose.yaml"), nil); !ok || root != dir {
		return nil // docker/ of a project above it
	}
	return files
}
