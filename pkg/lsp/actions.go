package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/composelint/composelint/pkg/fix"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/source"
)

// FixAllKind is the code action kind of "apply every safe fix to this
// file", for editors' fix-on-save (VS Code: "editor.codeActionsOnSave":
// {"source.fixAll.composelint": "explicit"}).
const FixAllKind = "source.fixAll.composelint"

// UnsafeNote ends the title of a quick fix that changes what runs.
const UnsafeNote = " (unsafe: changes what runs)"

// awaitLimit bounds how long a request waits for the lint of the latest
// change before it answers from what it has.
const awaitLimit = 5 * time.Second

// kindWanted reports whether a code action of kind is among those asked
// for: only lists kinds and their parents ("source" covers
// "source.fixAll.composelint"); none means all.
func kindWanted(kind string, only []protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if o == kind || strings.HasPrefix(kind, o+".") {
			return true
		}
	}
	return false
}

// await waits until the lints that concern path have seen the latest
// changes, the request is canceled, or awaitLimit passes.
func (s *Server) await(ctx context.Context, path string) error {
	limit := time.NewTimer(awaitLimit)
	defer limit.Stop()
	for {
		s.mu.Lock()
		var pending chan struct{}
		for _, w := range s.workers {
			if w.fresh != nil && s.relates(w, path) {
				pending = w.fresh
				break
			}
		}
		s.mu.Unlock()
		if pending == nil {
			return nil
		}
		select {
		case <-pending:
		case <-ctx.Done():
			return canceled(ctx)
		case <-limit.C:
			return nil
		}
	}
}

// hit is an item and the lint it comes from.
type hit struct {
	item
	res *result
}

// itemsIn returns the diagnostics located in path from the latest lints,
// but only those made from the buffer's current text. Called with s.mu
// held.
func (s *Server) itemsIn(path string) []hit {
	doc := s.docs[path]
	var out []hit
	for _, key := range slices.Sorted(maps.Keys(s.workers)) {
		res := s.workers[key].res
		if res == nil {
			continue
		}
		if doc != nil {
			if v, ok := res.versions[path]; !ok || v != doc.version {
				continue
			}
		}
		for _, it := range res.items {
			if it.path == path {
				out = append(out, hit{it, res})
			}
		}
	}
	return out
}

type fixAllData struct {
	URI     string           `json:"uri"`
	Version protocol.Integer `json:"version"`
}

func (s *Server) codeAction(ctx context.Context, params []byte) (any, error) {
	var p protocol.CodeActionParams
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, invalidParams(err)
	}
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		return nil, invalidParams(err)
	}
	if err := s.await(ctx, path); err != nil {
		return nil, err
	}
	actions := []protocol.CodeAction{}
	s.mu.Lock()
	hits := s.itemsIn(path)
	caps := s.caps
	doc := s.docs[path]
	type quickFix struct {
		h     hit
		f     lint.Fix
		first bool
	}
	var quick []quickFix
	if kindWanted(protocol.CodeActionKindQuickFix, p.Context.Only) {
		for _, h := range hits {
			if !touches(h.lsp.Range, p.Range) {
				continue
			}
			for i, f := range h.d.Fixes {
				if s.current(f, h.res) { // else it edits a buffer that changed since
					quick = append(quick, quickFix{h: h, f: f, first: i == 0})
				}
			}
		}
	}
	// Fix-all runs the fix engine: offer it only where there is something
	// to fix, and compute it only when asked for it by kind (on save) or
	// when the client resolves it (from a menu).
	wantFixAll := doc != nil && kindWanted(FixAllKind, p.Context.Only) && fixAllApplies(path, s.allItems(path))
	s.mu.Unlock()
	// The editor applies a quick fix as it is: check it first, as --fix
	// checks every round, and offer only those that pass.
	var linter fix.Linter
	kind := protocol.CodeActionKindQuickFix
	for _, q := range quick {
		if linter == nil {
			linter = s.projectLinter(path, nil)
		}
		if err := verifyFix(linter, q.f); err != nil {
			s.logf("quick fix %q for %s not offered: %v", q.f.Message, q.h.d.Rule, err)
			continue
		}
		title := q.f.Message
		if q.f.Safety == lint.Unsafe {
			title += UnsafeNote
		}
		preferred := q.first && q.f.Safety == lint.Safe
		s.mu.Lock()
		edit := s.fixEdit(q.f, q.h.res, caps)
		s.mu.Unlock()
		actions = append(actions, protocol.CodeAction{
			Title:       title,
			Kind:        &kind,
			Diagnostics: []protocol.Diagnostic{q.h.lsp},
			IsPreferred: &preferred,
			Edit:        edit,
		})
	}
	if wantFixAll {
		kind := FixAllKind
		action := protocol.CodeAction{Title: "Fix all composelint problems (safe fixes)", Kind: &kind}
		switch {
		case len(p.Context.Only) > 0: // asked for by kind: on save
			edit, err := s.fixAll(ctx, path)
			if err != nil {
				return nil, err
			}
			if edit != nil {
				action.Edit = edit
				actions = append(actions, action)
			}
		case caps.resolveEdit: // listed; computed if chosen
			action.Data = fixAllData{URI: p.TextDocument.URI, Version: doc.version}
			actions = append(actions, action)
		}
		// Otherwise left out: too costly to compute on every cursor move.
	}
	return actions, nil
}

// current reports whether every open buffer a fix edits is still the text
// the fix was made from. Called with s.mu held.
func (s *Server) current(f lint.Fix, res *result) bool {
	for _, e := range f.Edits {
		if d := s.docs[e.File.Path]; d != nil {
			if v, ok := res.versions[e.File.Path]; !ok || v != d.version {
				return false
			}
		}
	}
	return true
}

// allItems returns every current diagnostic whose fixes may edit path.
// Called with s.mu held.
func (s *Server) allItems(path string) []item {
	var out []item
	for _, w := range s.workers {
		if w.res == nil || !w.res.files[path] {
			continue
		}
		out = append(out, w.res.items...)
	}
	return out
}

// fixAllApplies reports whether a safe fix edits path and nothing else.
func fixAllApplies(path string, items []item) bool {
	for _, it := range items {
		for _, f := range it.d.Fixes {
			if f.Safety == lint.Safe && editsOnly(f, path) {
				return true
			}
		}
	}
	return false
}

func editsOnly(f lint.Fix, path string) bool {
	if len(f.Edits) == 0 {
		return false
	}
	for _, e := range f.Edits {
		if e.File.Path != path {
			return false
		}
	}
	return true
}

func (s *Server) resolveCodeAction(ctx context.Context, params []byte) (any, error) {
	var action protocol.CodeAction
	if err := json.Unmarshal(params, &action); err != nil {
		return nil, invalidParams(err)
	}
	if action.Kind == nil || *action.Kind != FixAllKind || action.Data == nil || action.Edit != nil {
		return action, nil
	}
	var data fixAllData
	if b, err := json.Marshal(action.Data); err == nil {
		_ = json.Unmarshal(b, &data)
	}
	path, err := uriToPath(data.URI)
	if err != nil {
		return nil, invalidParams(err)
	}
	if err := s.await(ctx, path); err != nil {
		return nil, err
	}
	edit, err := s.fixAll(ctx, path)
	if err != nil {
		return nil, err
	}
	if edit == nil {
		edit = &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{}}
	}
	action.Edit = edit
	return action, nil
}

// fixEdit turns a fix into a workspace edit over the files it edits, in
// the positions of the text that was linted. A file that does not exist
// is created first when the client can create files.
func (s *Server) fixEdit(f lint.Fix, res *result, caps clientCaps) *protocol.WorkspaceEdit {
	type fileEdits struct {
		uri    string
		create bool
		open   bool
		edits  []protocol.TextEdit
	}
	byPath := map[string]*fileEdits{}
	for _, e := range f.Edits {
		path := e.File.Path
		fe := byPath[path]
		if fe == nil {
			_, open := s.docs[path]
			fe = &fileEdits{uri: pathToURI(path), open: open}
			if d := s.docs[path]; d != nil {
				fe.uri = d.uri
			}
			fe.create = !open && len(e.File.Content) == 0 && !fileExists(path)
			byPath[path] = fe
		}
		eol := source.LineEnding(e.File.Content)
		fe.edits = append(fe.edits, protocol.TextEdit{
			Range:   protocol.Range{Start: offsetToLSP(e.File, e.Start), End: offsetToLSP(e.File, e.End)},
			NewText: source.WithLineEnding(e.NewText, eol),
		})
	}
	paths := slices.Sorted(maps.Keys(byPath))
	creates := false
	for _, fe := range byPath {
		creates = creates || fe.create
	}
	if !caps.documentChanges || (creates && !caps.createFiles) {
		changes := map[protocol.DocumentUri][]protocol.TextEdit{}
		for _, path := range paths {
			changes[byPath[path].uri] = byPath[path].edits
		}
		return &protocol.WorkspaceEdit{Changes: changes}
	}
	var dc []any
	for _, path := range paths {
		fe := byPath[path]
		if fe.create {
			yes := true
			dc = append(dc, protocol.CreateFile{Kind: "create", URI: fe.uri, Options: &protocol.CreateFileOptions{IgnoreIfExists: &yes}})
		}
		id := protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: fe.uri}}
		if v, ok := res.versions[path]; ok && fe.open {
			id.Version = &v
		}
		edits := make([]any, len(fe.edits))
		for i, e := range fe.edits {
			edits[i] = e
		}
		dc = append(dc, protocol.TextDocumentEdit{TextDocument: id, Edits: edits})
	}
	return &protocol.WorkspaceEdit{DocumentChanges: dc}
}

// fixAll runs the fix engine over the project of the open buffer path, with
// the safe fixes that edit that buffer alone, and returns the edit that
// makes the buffer what the engine made of it (nil: nothing to fix). The
// open buffers are the overlay; nothing is written.
func (s *Server) fixAll(ctx context.Context, path string) (*protocol.WorkspaceEdit, error) {
	s.mu.Lock()
	doc := s.docs[path]
	if doc == nil {
		s.mu.Unlock()
		return nil, nil
	}
	caps := s.caps
	s.mu.Unlock()
	linter := s.projectLinter(path, func(f lint.Fix) bool { return editsOnly(f, path) })
	res, err := runFix(linter)
	if err != nil {
		s.logf("fix-all %s: %v", path, err)
		return nil, nil
	}
	if ctx.Err() != nil {
		return nil, canceled(ctx)
	}
	for _, d := range res.Failed {
		s.logf("fix-all %s: %s", path, d.Message)
	}
	fixed, ok := res.Fixed[path]
	if !ok || bytes.Equal(fixed, doc.text) {
		return nil, nil
	}
	te := minimalEdit(source.New(path, doc.text), fixed)
	if caps.documentChanges {
		v := doc.version
		return &protocol.WorkspaceEdit{DocumentChanges: []any{protocol.TextDocumentEdit{
			TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{
				TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: doc.uri}, Version: &v},
			Edits: []any{te},
		}}}, nil
	}
	return &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{doc.uri: {te}}}, nil
}

// runFix runs the fix engine; a panic in it is an error, not a crash.
// projectLinter returns a linter of the project of the open buffer path, over
// a snapshot of the open buffers; keep, when set, chooses the fixes the
// diagnostics keep. Called without s.mu.
func (s *Server) projectLinter(path string, keep func(lint.Fix) bool) fix.Linter {
	s.mu.Lock()
	overlay := make(map[string][]byte, len(s.docs))
	for p, d := range s.docs {
		overlay[p] = d.text
	}
	opts := project.Options{Vars: maps.Clone(s.vars), OSEnv: s.osEnv, Rule: s.eng.Rule, Cache: s.cache}
	// Which project to lint: that of the file when it is a compose file,
	// else that of the lint which reads it (a Caddyfile, say).
	target := path
	if !isComposeName(path) {
		named, reader := false, ""
		for _, key := range slices.Sorted(maps.Keys(s.workers)) {
			if res := s.workers[key].res; res != nil {
				named = named || res.named[path]
				if reader == "" && res.files[path] {
					reader = key
				}
			}
		}
		if !named && reader != "" {
			target = reader
		}
	}
	s.mu.Unlock()

	return func(extra map[string][]byte) (*lint.Project, []lint.Diagnostic, error) {
		o := opts
		o.Overlay = maps.Clone(overlay)
		maps.Copy(o.Overlay, extra)
		targets, err := project.Resolve([]string{target}, o)
		if err != nil {
			return nil, nil, err
		}
		t := targets[0]
		p, err := t.Load()
		if err != nil {
			return nil, nil, err
		}
		var out []lint.Diagnostic
		for _, d := range t.Run(s.eng, p) {
			var fixes []lint.Fix
			for _, f := range d.Fixes {
				if keep == nil || keep(f) {
					fixes = append(fixes, f)
				}
			}
			d.Fixes = fixes
			out = append(out, d)
		}
		return p, out, nil
	}
}

// verifyFix is fix.Verify that turns a panic into an error.
func verifyFix(linter fix.Linter, f lint.Fix) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error: %v", v)
		}
	}()
	return fix.Verify(linter, f)
}

func runFix(linter fix.Linter) (res *fix.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, fmt.Errorf("internal error: %v", v)
		}
	}()
	return fix.Run(linter, fix.Options{})
}

// minimalEdit is one edit that turns old's text into new: the span between
// their common prefix and common suffix, on character boundaries.
func minimalEdit(old *source.File, new []byte) protocol.TextEdit {
	a := old.Content
	n := min(len(a), len(new))
	pre := 0
	for pre < n && a[pre] == new[pre] {
		pre++
	}
	for pre > 0 && pre < len(a) && (!utf8.RuneStart(a[pre]) || (a[pre] == '\n' && a[pre-1] == '\r')) {
		pre--
	}
	suf := 0
	for suf < n-pre && a[len(a)-1-suf] == new[len(new)-1-suf] {
		suf++
	}
	for suf > 0 && (!utf8.RuneStart(a[len(a)-suf]) || (a[len(a)-suf] == '\n' && len(a)-suf > pre && a[len(a)-suf-1] == '\r')) {
		suf--
	}
	return protocol.TextEdit{
		Range:   protocol.Range{Start: offsetToLSP(old, pre), End: offsetToLSP(old, len(a)-suf)},
		NewText: string(new[pre : len(new)-suf]),
	}
}
