package lsp

import (
	"encoding/json"
	"path/filepath"
	"time"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/composelint/composelint/pkg/config"
	"github.com/composelint/composelint/pkg/project"
)

// document is an open buffer.
type document struct {
	uri     string // as the client spells it
	path    string
	version protocol.Integer
	text    []byte // replaced on change, never modified in place
}

// isComposeName: the files that make or change a project's environments,
// as discovery names them (project.IsComposeName).
func isComposeName(path string) bool { return project.IsComposeName(path) }

func (s *Server) didOpen(params []byte) {
	var p protocol.DidOpenTextDocumentParams
	if err := json.Unmarshal(params, &p); err != nil {
		s.logf("didOpen: %v", err)
		return
	}
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		s.logf("didOpen: %v", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[path] = &document{uri: p.TextDocument.URI, path: path, version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
	s.touch(path, true, 0)
}

func (s *Server) didChange(params []byte) {
	var p protocol.DidChangeTextDocumentParams
	if err := json.Unmarshal(params, &p); err != nil {
		s.logf("didChange: %v", err)
		return
	}
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		s.logf("didChange: %v", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[path]
	if d == nil {
		s.logf("didChange: %s is not open", p.TextDocument.URI)
		return
	}
	text := d.text
	for _, c := range p.ContentChanges {
		text = applyChange(text, c)
	}
	s.docs[path] = &document{uri: d.uri, path: path, version: p.TextDocument.Version, text: text}
	s.touch(path, false, s.opts.Debounce)
}

// applyChange applies one content change: the whole text, or (though the
// server asks for full sync) a range.
func applyChange(text []byte, c any) []byte {
	switch c := c.(type) {
	case protocol.TextDocumentContentChangeEventWhole:
		return []byte(c.Text)
	case protocol.TextDocumentContentChangeEvent:
		if c.Range == nil {
			return []byte(c.Text)
		}
		start := lspToOffset(text, c.Range.Start)
		end := max(lspToOffset(text, c.Range.End), start)
		out := make([]byte, 0, len(text)-(end-start)+len(c.Text))
		out = append(out, text[:start]...)
		out = append(out, c.Text...)
		return append(out, text[end:]...)
	}
	return text
}

func (s *Server) didSave(params []byte) {
	var p protocol.DidSaveTextDocumentParams
	if err := json.Unmarshal(params, &p); err != nil {
		s.logf("didSave: %v", err)
		return
	}
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		s.logf("didSave: %v", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.docs[path]; d != nil && p.Text != nil {
		s.docs[path] = &document{uri: d.uri, path: path, version: d.version, text: []byte(*p.Text)}
	}
	s.touch(path, false, 0)
}

func (s *Server) didClose(params []byte) {
	var p protocol.DidCloseTextDocumentParams
	if err := json.Unmarshal(params, &p); err != nil {
		s.logf("didClose: %v", err)
		return
	}
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		s.logf("didClose: %v", err)
		return
	}
	s.mu.Lock()
	delete(s.docs, path)
	// The file now reads from disk: re-lint what read the buffer, and drop
	// the projects no open buffer belongs to any more, with their
	// diagnostics.
	s.touch(path, false, 0)
	var msgs []protocol.PublishDiagnosticsParams
	for key, w := range s.workers {
		if !s.hasOpenDocs(w) {
			msgs = append(msgs, s.dropWorker(w)...)
			delete(s.workers, key)
		}
	}
	s.send(msgs)
}

func (s *Server) didChangeWatchedFiles(params []byte) {
	var p protocol.DidChangeWatchedFilesParams
	if err := json.Unmarshal(params, &p); err != nil {
		s.logf("didChangeWatchedFiles: %v", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range p.Changes {
		path, err := uriToPath(c.URI)
		if err != nil {
			continue
		}
		for _, w := range s.workers {
			if w.files[path] {
				s.schedule(w, s.opts.Debounce)
			}
		}
		// A compose file or configuration appearing or going away changes
		// what the project is.
		if isComposeName(path) || filepath.Base(path) == config.FileName {
			key, _ := s.projectKey(path)
			if w := s.workers[key]; w != nil {
				s.schedule(w, s.opts.Debounce)
			}
		}
	}
}

// touch schedules the lints that a change of path concerns: those that
// read it, and that of its project when it is a compose file (or when it
// was just opened in a project: whether it belongs there is for the lint
// to find out). Called with s.mu held.
func (s *Server) touch(path string, opened bool, delay time.Duration) {
	for _, w := range s.workers {
		if w.files[path] {
			s.schedule(w, delay)
		}
	}
	key, dir := s.projectKey(path)
	if isComposeName(path) || (opened && dir) {
		w := s.workers[key]
		if w == nil {
			w = &worker{key: key, dir: dir, files: map[string]bool{}}
			s.workers[key] = w
		}
		s.schedule(w, delay)
	}
}

// projectKey names the project path belongs to: its directory as
// project.Resolve finds it (project.Root), or, when there is none, the file
// itself. Called with s.mu held: open buffers count as files.
func (s *Server) projectKey(path string) (key string, dir bool) {
	open := make(map[string][]byte, len(s.docs))
	for p, d := range s.docs {
		open[p] = d.text
	}
	if root, ok := project.Root(path, open); ok {
		return root, true
	}
	return path, false
}

// hasOpenDocs reports whether an open buffer belongs to w's project.
func (s *Server) hasOpenDocs(w *worker) bool {
	for path := range s.docs {
		if s.relates(w, path) {
			return true
		}
	}
	return false
}

// relates reports whether w's lint concerns path.
func (s *Server) relates(w *worker, path string) bool {
	if w.files[path] || path == w.key {
		return true
	}
	if !w.dir || !isComposeName(path) {
		return false
	}
	key, _ := s.projectKey(path)
	return key == w.key
}
