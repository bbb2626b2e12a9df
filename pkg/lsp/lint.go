package lsp

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/composelint/composelint/pkg/config"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/source"
)

// staleAfter: while changes keep coming faster than a lint runs, a result
// that is already out of date is still published this often, so that the
// editor is not left without diagnostics.
const staleAfter = time.Second

// worker lints one project (a directory and its environments) or one
// compose file that belongs to none, in its own goroutine, one lint at a
// time, always of the latest buffers. Its fields are guarded by s.mu.
type worker struct {
	key string
	dir bool // key is a project directory; else a lone compose file

	gen     uint64    // bumped by every change the project must see
	running bool      // a goroutine is waiting to lint or linting
	due     time.Time // when to lint next (debounce)
	dead    bool      // dropped: the goroutine stops, publishes nothing
	// fresh is closed when a lint of the latest change is done; nil when
	// the latest result is fresh.
	fresh chan struct{}

	res         *result         // the latest completed lint
	files       map[string]bool // what that lint read: a change to one re-lints
	lastPublish time.Time
}

// result is one lint of a worker's project.
type result struct {
	gen uint64
	// versions holds the version of each open buffer the lint was given.
	versions map[string]protocol.Integer
	uris     map[string]string
	items    []item
	files    map[string]bool
	// named are the files an environment of the project names.
	named map[string]bool
}

// item is one diagnostic, and its LSP form.
type item struct {
	d    lint.Diagnostic
	path string
	lsp  protocol.Diagnostic
}

// snapshot is what one lint works on.
type snapshot struct {
	key     string
	dir     bool
	gen     uint64
	overlay map[string][]byte
	// versions and uris of the open buffers.
	versions map[string]protocol.Integer
	uris     map[string]string
	// compose holds the open compose files of the project: those no
	// environment names are linted on their own.
	compose []string
	opts    project.Options
}

// schedule asks w for a lint of the latest buffers after delay. Called with
// s.mu held.
func (s *Server) schedule(w *worker, delay time.Duration) {
	if s.state == shutDown || w.dead {
		return
	}
	w.gen++
	if w.fresh == nil {
		w.fresh = make(chan struct{})
	}
	w.due = time.Now().Add(max(delay, 0))
	if !w.running {
		w.running = true
		go s.run(w)
	}
}

// run is a worker's goroutine: wait for the changes to settle, lint, and
// publish; again while changes came in meanwhile.
func (s *Server) run(w *worker) {
	for {
		s.mu.Lock()
		if w.dead || s.ctx.Err() != nil {
			w.running = false
			s.mu.Unlock()
			return
		}
		if wait := time.Until(w.due); wait > 0 {
			s.mu.Unlock()
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-s.ctx.Done():
				t.Stop()
			}
			continue
		}
		snap := s.snapshot(w)
		s.mu.Unlock()

		res := s.lint(snap)

		s.mu.Lock()
		if w.dead || s.ctx.Err() != nil {
			w.running = false
			s.mu.Unlock()
			return
		}
		fresh := snap.gen == w.gen
		w.res = res
		w.files = res.files
		var msgs []protocol.PublishDiagnosticsParams
		if fresh || time.Since(w.lastPublish) >= staleAfter {
			msgs = s.publications(w, res)
			w.lastPublish = time.Now()
		}
		if fresh {
			close(w.fresh)
			w.fresh = nil
			w.running = false
		}
		s.send(msgs) // unlocks s.mu
		if fresh {
			return
		}
	}
}

// send publishes msgs in the order they were computed: it takes the
// publication lock before releasing s.mu, which the caller holds.
func (s *Server) send(msgs []protocol.PublishDiagnosticsParams) {
	s.pubMu.Lock()
	s.mu.Unlock()
	defer s.pubMu.Unlock()
	for _, m := range msgs {
		s.notify("textDocument/publishDiagnostics", m)
	}
}

// snapshot copies what a lint of w needs. Called with s.mu held.
func (s *Server) snapshot(w *worker) *snapshot {
	snap := &snapshot{key: w.key, dir: w.dir, gen: w.gen,
		overlay:  make(map[string][]byte, len(s.docs)),
		versions: make(map[string]protocol.Integer, len(s.docs)),
		uris:     make(map[string]string, len(s.docs)),
		opts:     project.Options{Vars: maps.Clone(s.vars), OSEnv: s.osEnv, Rule: s.eng.Rule, Cache: s.cache},
	}
	for path, d := range s.docs {
		snap.overlay[path] = d.text
		snap.versions[path] = d.version
		snap.uris[path] = d.uri
		if w.dir && isComposeName(path) {
			if key, _ := s.projectKey(path); key == w.key {
				snap.compose = append(snap.compose, path)
			}
		}
	}
	sort.Strings(snap.compose)
	snap.opts.Overlay = snap.overlay
	return snap
}

// lint lints a snapshot: the project of the directory with every
// environment, and each open compose file that no environment names on its
// own (as `composelint FILE` would). Nothing here may take the server down.
func (s *Server) lint(snap *snapshot) (res *result) {
	res = &result{gen: snap.gen, versions: snap.versions, uris: snap.uris, files: map[string]bool{}, named: map[string]bool{}}
	seen := map[string]bool{}
	defer func() {
		if v := recover(); v != nil {
			s.logf("lint of %s: panic: %v\n%s", snap.key, v, debug.Stack())
			s.failure(res, snap, fmt.Errorf("internal error: %v (please report it)", v), seen)
		}
	}()
	if !snap.dir {
		s.lintPath(res, snap, snap.key, seen)
		return res
	}
	dirErr := error(nil)
	targets, err := project.Resolve([]string{snap.key}, snap.opts)
	switch {
	case err == nil:
		for _, t := range targets {
			s.lintTarget(res, snap, t, seen)
		}
	case !isNoProject(err):
		dirErr = err
	}
	if dirErr != nil {
		s.failure(res, snap, dirErr, seen)
		return res
	}
	for _, path := range snap.compose {
		if !res.named[path] {
			s.lintPath(res, snap, path, seen)
		}
	}
	return res
}

// isNoProject: the directory holds no compose file, only open buffers
// that belong to no environment (linted on their own).
func isNoProject(err error) bool {
	var np *project.NoProjectError
	return errors.As(err, &np)
}

// lintPath lints the project of one file, as `composelint FILE` does.
func (s *Server) lintPath(res *result, snap *snapshot, path string, seen map[string]bool) {
	targets, err := project.Resolve([]string{path}, snap.opts)
	if err != nil {
		s.failure(res, snap, err, seen)
		return
	}
	for _, t := range targets {
		s.lintTarget(res, snap, t, seen)
	}
}

// lintTarget loads and lints one target; every file it reads is recorded,
// so that a change to any of them re-lints it.
func (s *Server) lintTarget(res *result, snap *snapshot, t *project.Target, seen map[string]bool) {
	res.files[t.DotEnv()] = true
	res.files[filepath.Join(t.Dir, config.FileName)] = true
	for _, e := range t.Envs {
		for _, f := range e.Files {
			res.files[f] = true
			if t.Only == nil { // the project of a directory
				res.named[f] = true
			}
		}
	}
	p, err := t.Load()
	if err != nil {
		s.failure(res, snap, err, seen)
		return
	}
	for path := range p.Files {
		res.files[path] = true
	}
	if read := p.ReadFile; read != nil {
		p.ReadFile = func(path string) (*source.File, error) {
			res.files[path] = true
			return read(path)
		}
	}
	var envs []string
	for _, env := range p.Environments {
		envs = append(envs, env.Name)
	}
	for _, d := range t.Run(s.eng, p) {
		s.addItem(res, d, envs, seen)
	}
}

func (s *Server) addItem(res *result, d lint.Diagnostic, envs []string, seen map[string]bool) {
	key := fmt.Sprintf("%s\x00%s\x00%v\x00%s", d.Rule, d.File.Path, d.Range, d.Message)
	if seen[key] {
		return
	}
	seen[key] = true
	res.files[d.File.Path] = true
	res.items = append(res.items, item{d: d, path: d.File.Path, lsp: s.toDiagnostic(d, envs)})
}

// failure turns what kept a project from being linted (a configuration
// mistake, an unreadable file) into a diagnostic: at its place in the
// configuration file, or at the top of the project's open compose files.
func (s *Server) failure(res *result, snap *snapshot, err error, seen map[string]bool) {
	s.logf("%s: %v", snap.key, err)
	var ce *config.Error
	if errors.As(err, &ce) {
		f := source.New(ce.Path, readFile(ce.Path))
		pos := source.Pos{Line: max(ce.Line, 1), Col: max(ce.Col, 1)}
		res.files[ce.Path] = true
		s.addItem(res, lint.Diagnostic{Rule: lint.InvalidConfig, Severity: lint.Error, File: f,
			Range: source.Range{Start: pos, End: pos}, Message: ce.Msg}, nil, seen)
		return
	}
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	paths := snap.compose
	if !snap.dir {
		paths = []string{snap.key}
	}
	for _, path := range paths {
		content, ok := snap.overlay[path]
		if !ok {
			content = readFile(path)
		}
		f := source.New(path, content)
		pos := source.Pos{Line: 1, Col: 1}
		s.addItem(res, lint.Diagnostic{Rule: lint.ProjectNotLinted, Severity: lint.Error, File: f,
			Range: source.Range{Start: pos, End: pos}, Message: "composelint could not lint this project: " + msg}, nil, seen)
	}
}

// fadedRules report text that can go: editors show it faded.
var fadedRules = map[string]bool{"obsolete-version": true, "unused-volume": true, "unused-network": true}

// toDiagnostic converts a diagnostic: positions to 0-based lines and UTF-16
// characters, severity to the protocol's numbers, the rule as the code.
func (s *Server) toDiagnostic(d lint.Diagnostic, envs []string) protocol.Diagnostic {
	sev := protocol.DiagnosticSeverityInformation
	switch d.Severity {
	case lint.Error:
		sev = protocol.DiagnosticSeverityError
	case lint.Warning:
		sev = protocol.DiagnosticSeverityWarning
	}
	src := "composelint"
	msg := d.Message
	// As the text report does: name the environments of a finding that
	// not all of them have.
	if len(envs) >= 2 && len(d.Environments) > 0 && len(d.Environments) < len(envs) {
		msg += " (" + strings.Join(d.Environments, ", ") + ")"
	}
	out := protocol.Diagnostic{
		Range:    rangeToLSP(d.File, d.Range),
		Severity: &sev,
		Code:     &protocol.IntegerOrString{Value: d.Rule},
		Source:   &src,
		Message:  msg,
	}
	if s.eng.Rule(d.Rule) != nil {
		out.CodeDescription = &protocol.CodeDescription{HRef: lint.DocsURL + "#" + d.Rule}
	}
	if fadedRules[d.Rule] {
		out.Tags = []protocol.DiagnosticTag{protocol.DiagnosticTagUnnecessary}
	}
	return out
}

// publications records res as w's diagnostics and returns what to publish:
// every file with findings, every open file of the project (an empty list
// clears it), and every file w published findings for before that has none
// now. A file's list joins those of every project that reports on it.
// Called with s.mu held.
func (s *Server) publications(w *worker, res *result) []protocol.PublishDiagnosticsParams {
	byFile := map[string][]protocol.Diagnostic{}
	for _, it := range res.items {
		byFile[it.path] = append(byFile[it.path], it.lsp)
	}
	paths := map[string]bool{}
	for path := range byFile {
		paths[path] = true
	}
	for path, by := range s.published {
		if _, ok := by[w.key]; ok {
			paths[path] = true
		}
	}
	for path := range res.files {
		if _, open := s.docs[path]; open {
			paths[path] = true
		}
	}
	var out []protocol.PublishDiagnosticsParams
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		if ds := byFile[path]; len(ds) > 0 {
			if s.published[path] == nil {
				s.published[path] = map[string][]protocol.Diagnostic{}
			}
			s.published[path][w.key] = ds
		} else if by := s.published[path]; by != nil {
			delete(by, w.key)
			if len(by) == 0 {
				delete(s.published, path)
			}
		}
		out = append(out, s.publication(path, res))
	}
	return out
}

// publication is what is published for path: the diagnostics of every
// project, for the version res linted. Called with s.mu held.
func (s *Server) publication(path string, res *result) protocol.PublishDiagnosticsParams {
	all := []protocol.Diagnostic{}
	by := s.published[path]
	for _, key := range slices.Sorted(maps.Keys(by)) {
		all = append(all, by[key]...)
	}
	p := protocol.PublishDiagnosticsParams{URI: pathToURI(path), Diagnostics: all}
	if d := s.docs[path]; d != nil {
		p.URI = d.uri
		if res != nil {
			if v, ok := res.versions[path]; ok && v >= 0 {
				u := protocol.UInteger(v)
				p.Version = &u
			}
		}
	}
	return p
}

// dropWorker stops w and returns the publications that clear what it
// published. Called with s.mu held.
func (s *Server) dropWorker(w *worker) []protocol.PublishDiagnosticsParams {
	w.dead = true
	if w.fresh != nil {
		close(w.fresh)
		w.fresh = nil
	}
	var out []protocol.PublishDiagnosticsParams
	for _, path := range slices.Sorted(maps.Keys(s.published)) {
		by := s.published[path]
		if _, ok := by[w.key]; !ok {
			continue
		}
		delete(by, w.key)
		if len(by) == 0 {
			delete(s.published, path)
		}
		out = append(out, s.publication(path, nil))
	}
	return out
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// readFile reads a file for a diagnostic's excerpt; nil when it cannot.
func readFile(path string) []byte {
	data, err := source.ReadFile(path)
	if err != nil || len(data) > source.MaxFileSize {
		return nil
	}
	return data
}
