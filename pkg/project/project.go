// Package project finds the Compose project a path belongs to, its
// environments (development, production, or those configured), and its
// interpolation values; it reads every file once and loads each environment.
package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/composelint/composelint/pkg/config"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/redact"
	"github.com/composelint/composelint/pkg/source"
)

// BaseNames are the files docker compose looks for, in its order.
var BaseNames = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}

// Options are what the command line says about the project.
type Options struct {
	// Files given with -f: one environment, in this order, no discovery.
	Files []string
	// EnvironmentName names the -f environment; default from the file names.
	EnvironmentName string
	// Vars are --env KEY=VALUE values.
	Vars map[string]string
	// OSEnv adds the process environment to the interpolation values.
	OSEnv bool
	// Rule looks a rule up by ID (to validate the configuration).
	Rule func(id string) *lint.Rule
	// Overlay holds file contents (by absolute path) that replace, or add
	// to, what is on disk: unsaved editor buffers, stdin, fixes in progress.
	Overlay map[string][]byte
	// Cache, when set, keeps loaded environments between lints of the same
	// project (the language server, the rounds of --fix).
	Cache *load.Cache
}

// Target is one project to lint.
type Target struct {
	Dir    string
	Config *config.Config // nil without a .composelint.yaml
	Envs   []config.Environment
	Vars   map[string]string
	// Only, when set, restricts the report to these files (absolute paths).
	Only map[string]bool
	// Notes say what discovery guessed or did not find, and how to settle it.
	Notes []Note

	fs    files
	cache *load.Cache
	// secrets are the values .env gave: no report may show them.
	secrets []redact.Value
}

// files reads through the overlay to the disk, each file once: discovery
// and the load see the same bytes.
type files struct {
	overlay map[string][]byte
	seen    map[string][]byte
	// parsed are the compose files parsed so far: discovery reads their
	// shape, the load indexes them, and each is parsed once for both.
	parsed map[string]*source.File
	shapes map[string]*shape
}

func newFiles(overlay map[string][]byte) files {
	return files{overlay: overlay, seen: map[string][]byte{}, parsed: map[string]*source.File{}, shapes: map[string]*shape{}}
}

// UsageError is a mistake in what the user asked for (exit 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

// NoProjectError: a directory holds no compose file in any of the places
// discovery looks (exit 2).
type NoProjectError struct{ Path string }

func (e *NoProjectError) Error() string {
	return fmt.Sprintf("%s: no Compose file here (looked for %s, and local.yml, production.yml, *.dev.yml, *.prod.yml… in %s)",
		e.Path, strings.Join(BaseNames, ", "), strings.Join(searchDirs, ", "))
}

// Resolve turns the command line into projects to lint.
func Resolve(paths []string, opts Options) ([]*Target, error) {
	if len(opts.Files) > 0 {
		if len(paths) > 0 {
			return nil, usagef("give either -f files or PATHs, not both")
		}
		t, err := fromFiles(opts)
		if err != nil {
			return nil, err
		}
		return []*Target{t}, nil
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var out []*Target
	for _, p := range paths {
		t, err := fromPath(p, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func fromFiles(opts Options) (*Target, error) {
	fs := newFiles(opts.Overlay)
	paths := make([]string, len(opts.Files))
	for i, f := range opts.Files {
		abs, err := filepath.Abs(f)
		if err != nil {
			return nil, err
		}
		if err := fs.checkFile(abs); err != nil {
			return nil, err
		}
		paths[i] = abs
	}
	name := opts.EnvironmentName
	if name == "" {
		name = "development"
		for _, f := range paths {
			if strings.Contains(strings.ToLower(filepath.Base(f)), "prod") {
				name = "production"
			}
		}
	}
	dir := filepath.Dir(paths[0])
	t := &Target{Dir: dir, Envs: []config.Environment{{Name: name, Files: paths}}, fs: fs, cache: opts.Cache}
	if err := t.readConfig(opts); err != nil {
		return nil, err
	}
	return t, t.readVars(opts)
}

func fromPath(p string, opts Options) (*Target, error) {
	fs := newFiles(opts.Overlay)
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, err
	}
	_, inOverlay := opts.Overlay[abs]
	st, err := os.Stat(abs)
	if err != nil && !inOverlay {
		return nil, usagef("%s: %s", p, describe(err))
	}
	if !inOverlay && st.IsDir() {
		// A directory: every file in it is checked as it is read.
		t := &Target{Dir: abs, fs: fs, cache: opts.Cache}
		if err := t.discover(opts); err != nil {
			return nil, err
		}
		if len(t.Envs) == 0 {
			return nil, &NoProjectError{Path: p}
		}
		return t, nil
	}
	if err := fs.checkFile(abs); err != nil {
		return nil, err
	}
	// A file: lint the project it belongs to, report only the file.
	t := &Target{Only: map[string]bool{abs: true}, fs: fs, cache: opts.Cache}
	if dir, ok := fs.root(abs); ok {
		t.Dir = dir
		if err := t.discover(opts); err != nil {
			return nil, err
		}
	}
	if !t.names(abs) {
		// Not part of any environment: lint the file alone.
		name := "development"
		if strings.Contains(strings.ToLower(filepath.Base(abs)), "prod") {
			name = "production"
		}
		t.Dir = filepath.Dir(abs)
		t.Envs = []config.Environment{{Name: name, Files: []string{abs}}}
		return t, t.readVars(opts)
	}
	return t, nil
}

func (t *Target) names(file string) bool {
	for _, e := range t.Envs {
		for _, f := range e.Files {
			if f == file {
				return true
			}
		}
	}
	return false
}

// discover finds the environments of the project in t.Dir.
func (t *Target) discover(opts Options) error {
	fs := t.fs
	if err := t.readConfig(opts); err != nil {
		return err
	}
	if err := t.readVars(opts); err != nil {
		return err
	}
	if t.Config != nil && len(t.Config.Environments) > 0 {
		for _, e := range t.Config.Environments {
			env := config.Environment{Name: e.Name}
			for _, f := range e.Files {
				abs := f
				if !filepath.IsAbs(f) {
					abs = filepath.Join(t.Dir, f)
				}
				if err := fs.checkFile(abs); err != nil {
					return usagef("%s: environment %q: %v", t.Config.Path, e.Name, err)
				}
				env.Files = append(env.Files, abs)
			}
			t.Envs = append(t.Envs, env)
		}
		return nil
	}
	if files := t.composeFileVar(); len(files) > 0 {
		// COMPOSE_FILE (from .env or --env) names the files docker compose loads.
		env := config.Environment{Name: "development"}
		for _, f := range files {
			if err := fs.checkFile(f); err != nil {
				return usagef("COMPOSE_FILE: %v", err)
			}
			env.Files = append(env.Files, f)
			if strings.Contains(strings.ToLower(filepath.Base(f)), "prod") {
				env.Name = "production"
			}
		}
		t.Envs = append(t.Envs, env)
		return nil
	}
	t.Envs, t.Notes = fs.environments(t.Dir)
	if len(t.Envs) > 0 && t.workDir() != t.Dir {
		// docker compose reads .env in the directory of the first file
		// (healthchecks: docker/docker-compose.yml and docker/.env).
		return t.readVars(opts)
	}
	return nil
}

// workDir is docker compose's project directory for the project's first
// environment: the directory of its first file.
func (t *Target) workDir() string {
	if len(t.Envs) == 0 || len(t.Envs[0].Files) == 0 {
		return t.Dir
	}
	return filepath.Dir(t.Envs[0].Files[0])
}

// DotEnv is the .env file whose values interpolate the compose files
// (it may not exist).
func (t *Target) DotEnv() string { return filepath.Join(t.workDir(), ".env") }

// overrideOf returns the override docker compose loads with base, or "".
func (fs files) overrideOf(base string) string {
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for _, e := range []string{ext, ".yaml", ".yml"} {
		if p := stem + ".override" + e; fs.exists(p) {
			return p
		}
	}
	return ""
}

func (t *Target) readConfig(opts Options) error {
	fs := t.fs
	p := filepath.Join(t.Dir, config.FileName)
	if !fs.exists(p) {
		return nil
	}
	c, err := config.Load(p, opts.Rule)
	if err != nil {
		return err
	}
	t.Config = c
	return nil
}

// composeFileVar returns the absolute paths COMPOSE_FILE lists, if set.
func (t *Target) composeFileVar() []string {
	v := t.Vars["COMPOSE_FILE"]
	if v == "" {
		return nil
	}
	sep := t.Vars["COMPOSE_PATH_SEPARATOR"]
	if sep == "" {
		sep = string(os.PathListSeparator)
	}
	var out []string
	for _, f := range strings.Split(v, sep) {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if !filepath.IsAbs(f) {
			f = filepath.Join(t.Dir, f)
		}
		out = append(out, filepath.Clean(f))
	}
	return out
}

// readVars assembles interpolation values: .env beside the first file, then
// (with --os-env) the process environment, then --env.
func (t *Target) readVars(opts Options) error {
	t.Vars = map[string]string{}
	t.secrets = nil
	dotEnv := t.DotEnv()
	if st, err := os.Stat(dotEnv); err == nil && !st.IsDir() {
		data, err := source.ReadFile(dotEnv)
		if err != nil {
			return usagef("%s", describe(err))
		}
		vars, err := source.ParseEnvFile(dotEnv, data)
		if err != nil {
			return usagef("%v", err)
		}
		shown := filepath.Base(dotEnv)
		if rel, err := filepath.Rel(t.Dir, dotEnv); err == nil {
			shown = rel
		}
		for k, v := range vars {
			t.Vars[k] = v
			t.secrets = append(t.secrets, redact.Value{Name: k, Value: v, Source: shown})
		}
	}
	if opts.OSEnv {
		for _, kv := range os.Environ() {
			if k, v, ok := strings.Cut(kv, "="); ok {
				t.Vars[k] = v
			}
		}
	}
	for k, v := range opts.Vars {
		t.Vars[k] = v
	}
	return nil
}

func (fs files) exists(p string) bool {
	if _, ok := fs.overlay[p]; ok {
		return true
	}
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

func (fs files) checkFile(abs string) error {
	if _, ok := fs.overlay[abs]; ok {
		return nil
	}
	st, err := os.Stat(abs)
	if err != nil {
		return usagef("%s: %s", abs, describe(err))
	}
	if st.IsDir() {
		return usagef("%s: is a directory, not a compose file", abs)
	}
	if err := source.CheckRegular(abs); err != nil {
		return usagef("%s", describe(err))
	}
	return nil
}

func describe(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var nr *source.NotRegularError
	if errors.As(err, &nr) {
		return nr.Error()
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Load reads every file once and loads every environment.
func (t *Target) Load() (*lint.Project, error) {
	p := &lint.Project{Dir: t.Dir, Files: map[string]*source.File{}, Vars: t.Vars}
	// The environments load at once (a project's first lint, or an edit of
	// the base file, waits for the slowest, not for the sum): what they read
	// besides their own files goes through mu.
	var mu sync.Mutex
	others := map[string]*source.File{}
	p.ReadFile = func(path string) (*source.File, error) {
		mu.Lock()
		defer mu.Unlock()
		if f, ok := others[path]; ok {
			return f, nil
		}
		data, err := t.fs.read(path)
		if err != nil {
			return nil, err
		}
		f := source.New(path, data)
		others[path] = f
		return f, nil
	}
	// open serves include and extends targets: a missing one is compose-go's
	// to report, not a reason to stop.
	open := func(path string) *source.File {
		mu.Lock()
		defer mu.Unlock()
		if f, ok := p.Files[path]; ok {
			return f
		}
		data, err := t.fs.read(path)
		if err != nil {
			return nil
		}
		f := source.ParseYAML(path, data)
		p.Files[path] = f
		return f
	}
	inputs, err := t.inputs(p, open)
	if err != nil {
		return nil, err
	}
	p.Environments = make([]*load.Result, len(inputs))
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Go(func() { p.Environments[i] = t.cache.Load(in) })
	}
	wg.Wait()
	p.Secrets = slices.Clone(t.secrets)
	for _, env := range p.Environments {
		p.Secrets = append(p.Secrets, env.Secrets...)
	}
	return p, nil
}

// inputs reads the files of each environment (into p.Files, once each)
// and returns what loads it.
func (t *Target) inputs(p *lint.Project, open func(string) *source.File) ([]load.Input, error) {
	var ins []load.Input
	for _, e := range t.Envs {
		var files []*source.File
		for _, path := range e.Files {
			f, ok := p.Files[path]
			if !ok {
				var err error
				if f, err = t.fs.parse(path); err != nil {
					return nil, usagef("%s: %s", path, describe(err))
				}
				p.Files[path] = f
			}
			files = append(files, f)
		}
		ins = append(ins, load.Input{Name: e.Name, WorkingDir: filepath.Dir(e.Files[0]), Files: files, Env: t.Vars, Open: open,
			ReadFile: func(path string) ([]byte, error) {
				f, err := p.ReadFile(path)
				if err != nil {
					return nil, err
				}
				return f.Content, nil
			}})
	}
	return ins, nil
}

// read reads a file, but no more than one byte past the largest
// compose file composelint accepts: the parser then reports the size.
func (fs files) read(path string) ([]byte, error) {
	if data, ok := fs.overlay[path]; ok {
		return data, nil
	}
	if data, ok := fs.seen[path]; ok {
		return data, nil
	}
	data, err := source.ReadFile(path)
	if err == nil && fs.seen != nil {
		fs.seen[path] = data
	}
	return data, err
}

// parse reads and parses a compose file, once.
func (fs files) parse(path string) (*source.File, error) {
	if f, ok := fs.parsed[path]; ok {
		return f, nil
	}
	data, err := fs.read(path)
	if err != nil {
		return nil, err
	}
	f := source.ParseYAML(path, data)
	if fs.parsed != nil {
		fs.parsed[path] = f
	}
	return f, nil
}

// shape reads a compose file's shape, once; nil when it cannot be read.
func (fs files) shape(path string) *shape {
	if s, ok := fs.shapes[path]; ok {
		return s
	}
	f, err := fs.parse(path)
	if err != nil {
		return nil
	}
	s := readShape(f)
	if fs.shapes != nil {
		fs.shapes[path] = s
	}
	return s
}

// Run runs the engine over a loaded project with the project's rule
// configuration, and drops the findings in files its `ignore` globs match.
func (t *Target) Run(eng *lint.Engine, p *lint.Project) []lint.Diagnostic {
	e := *eng
	if t.Config != nil {
		e.Config = t.Config.Rules
		e.Strict = e.Strict || t.Config.Strict
	}
	all := e.Run(p)
	out := all[:0]
	for _, d := range all {
		if rel, err := filepath.Rel(t.Dir, d.File.Path); err == nil && t.Config.Ignored(rel) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// Reports tells whether the user asked to see findings in file: every file
// of the project, unless a file was named on the command line.
func (t *Target) Reports(file string) bool {
	return t.Only == nil || t.Only[file]
}
