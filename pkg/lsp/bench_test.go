package lsp

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkRelint re-lints a three-file project (the wemake-django-template:
// docker-compose.yml, docker-compose.override.yml and
// docker/docker-compose.prod.yml, two environments) after a change to the
// production file's buffer.
//
//   - lint: what a project's goroutine does after the debounce: snapshot the
//     buffers, resolve the project, load both environments through compose-go,
//     run every rule, convert the diagnostics and work out the publications.
//   - protocol: the whole round trip through an in-process server without
//     debounce: didChange written, publishDiagnostics of that version read.
func BenchmarkRelint(b *testing.B) {
	src := filepath.Join("..", "..", "testdata", "wemake", "2026-08-07_e922ccf3")
	dir := b.TempDir()
	for _, f := range []string{"docker-compose.yml", "docker-compose.override.yml", "docker/docker-compose.prod.yml", "docker/caddy/Caddyfile", "config/.env.template"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	prodPath := filepath.Join(dir, "docker", "docker-compose.prod.yml")
	data, err := os.ReadFile(prodPath)
	if err != nil {
		b.Fatal(err)
	}
	// Every change is new text (as typing makes it), so the production
	// environment is loaded again each time; development, whose files did
	// not change, comes from the cache.
	text := func(i int) []byte {
		t := string(data)
		if i%2 == 1 {
			t = strings.Replace(t, "/var/www/django/static  #", "/var/www/django/static:ro  #", 1)
		}
		return []byte(t + "# edit " + strconv.Itoa(i) + "\n")
	}

	b.Run("lint", func(b *testing.B) {
		s := New(Options{})
		s.state = running
		w := &worker{key: dir, dir: true, files: map[string]bool{}}
		s.workers[dir] = w
		uri := pathToURI(prodPath)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			s.mu.Lock()
			s.docs[prodPath] = &document{uri: uri, path: prodPath, version: int32(i), text: text(i)}
			w.gen++
			snap := s.snapshot(w)
			s.mu.Unlock()
			res := s.lint(snap)
			s.mu.Lock()
			if len(res.items) == 0 {
				b.Fatal("no diagnostics")
			}
			s.publications(w, res)
			s.mu.Unlock()
		}
	})

	b.Run("protocol", func(b *testing.B) {
		c, _ := startServer(b, Options{Debounce: -1})
		uri := pathToURI(prodPath)
		c.initialize(fullCaps, nil)
		c.notify("textDocument/didOpen", openParams(uri, string(text(0)), 0))
		c.diagnostics(uri, func(p *publication) bool { return p.Version != nil && *p.Version == 0 })
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			c.notify("textDocument/didChange", changeParams(uri, string(text(i)), i))
			want := i
			c.diagnostics(uri, func(p *publication) bool { return p.Version != nil && *p.Version == want })
			c.queued = c.queued[:0]
		}
	})
}
