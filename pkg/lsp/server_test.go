package lsp

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/rules"
	"github.com/composelint/composelint/pkg/source"
)

// startServer runs a server in this process over pipes.
func startServer(t testing.TB, opts Options) (*client, func() int) {
	t.Helper()
	clientIn, serverOut := io.Pipe()
	serverIn, clientOut := io.Pipe()
	if opts.Debounce == 0 {
		opts.Debounce = 5 * time.Millisecond
	}
	if testing.Verbose() {
		opts.Log = os.Stderr
	}
	codes := make(chan int, 1)
	go func() {
		codes <- New(opts).Serve(serverIn, serverOut)
		serverOut.Close()
	}()
	t.Cleanup(func() {
		clientOut.Close()
		clientIn.Close()
	})
	wait := func() int {
		select {
		case code := <-codes:
			return code
		case <-time.After(waitLimit):
			t.Fatal("the server did not stop")
			return -1
		}
	}
	return newClient(t, clientIn, clientOut), wait
}

const (
	overlayBase = "services:\n  app:\n    image: nginx:1.27\nvolumes:\n  data:\n"
	overlayOver = "services:\n  app:\n    environment:\n      A: \"1\"\n"
	overlayUses = "services:\n  app:\n    environment:\n      A: \"1\"\n    volumes:\n      - data:/data\n"
)

func hasCode(code string) func(*publication) bool {
	return func(p *publication) bool { return len(p.withCode(code)) > 0 }
}

func lacksCode(code string) func(*publication) bool {
	return func(p *publication) bool { return len(p.withCode(code)) == 0 }
}

// TestOverlayOfEveryOpenBuffer: a file is linted with the unsaved contents
// of every open buffer of its project, and a change to the override
// re-publishes the base file that depends on it.
func TestOverlayOfEveryOpenBuffer(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"docker-compose.yml":          overlayBase,
		"docker-compose.override.yml": overlayOver,
	})
	baseURI := pathToURI(filepath.Join(dir, "docker-compose.yml"))
	overURI := pathToURI(filepath.Join(dir, "docker-compose.override.yml"))
	c, wait := startServer(t, Options{})
	c.initialize(fullCaps, nil)

	c.notify("textDocument/didOpen", openParams(baseURI, overlayBase, 1))
	pub := c.diagnostics(baseURI, hasCode("unused-volume"))
	if d := pub.withCode("unused-volume")[0]; d.Range.String() != "4:2-4:6" || d.Severity != 3 {
		t.Errorf("unused-volume %+v, want info at 4:2-4:6", d)
	}

	// The override, changed but not saved, mounts the volume: the base
	// file is re-published without the finding.
	c.notify("textDocument/didOpen", openParams(overURI, overlayOver, 1))
	c.notify("textDocument/didChange", changeParams(overURI, overlayUses, 2))
	c.diagnostics(overURI, func(p *publication) bool { return p.Version != nil && *p.Version == 2 })
	c.diagnostics(baseURI, lacksCode("unused-volume"))

	// Closed without saving: the disk's override counts again.
	c.notify("textDocument/didClose", map[string]any{"textDocument": docID(overURI)})
	c.diagnostics(baseURI, hasCode("unused-volume"))

	// .env is read from disk (project.Options.Overlay does not cover it):
	// saving it re-lints the project that reads it.
	envPath := filepath.Join(dir, ".env")
	envURI := pathToURI(envPath)
	c.notify("textDocument/didChange", changeParams(baseURI, strings.Replace(overlayBase, "nginx:1.27", "nginx:${TAG}", 1), 2))
	c.diagnostics(baseURI, hasCode("undefined-variable"))
	c.notify("textDocument/didOpen", openParams(envURI, "", 1))
	c.notify("textDocument/didChange", changeParams(envURI, "TAG=1.27\n", 2))
	if err := os.WriteFile(envPath, []byte("TAG=1.27\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("textDocument/didSave", map[string]any{"textDocument": docID(envURI)})
	c.diagnostics(baseURI, func(p *publication) bool {
		return p.Version != nil && *p.Version == 2 && len(p.withCode("undefined-variable")) == 0
	})

	c.result("shutdown", nil, nil)
	c.notify("exit", nil)
	if code := wait(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// TestOverrideChangeRepublishesProject: editing the override re-publishes
// every file of the project that has findings, and findings that go away
// are cleared with an empty list.
func TestOverrideChangeRepublishesProject(t *testing.T) {
	dir := copyTree(t, filepath.Join("..", "..", "testdata", "wemake", "2026-08-07_e922ccf3"))
	overPath := filepath.Join(dir, "docker-compose.override.yml")
	overURI := pathToURI(overPath)
	baseURI := pathToURI(filepath.Join(dir, "docker-compose.yml"))
	prodURI := pathToURI(filepath.Join(dir, "docker", "docker-compose.prod.yml"))
	data, err := os.ReadFile(overPath)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := startServer(t, Options{})
	c.initialize(fullCaps, nil)
	c.notify("textDocument/didOpen", openParams(overURI, string(data), 1))
	c.diagnostics(baseURI, hasCode("database-in-production"))
	c.diagnostics(prodURI, hasCode("proxy-volume-readonly"))

	// An override that is not YAML: a yaml-syntax finding in it, the
	// server carries on, and the other files are published again.
	c.notify("textDocument/didChange", changeParams(overURI, "services:\n  web: [\n", 2))
	pub := c.diagnostics(overURI, hasCode("yaml-syntax"))
	if pub.Version == nil || *pub.Version != 2 {
		t.Errorf("version %v", pub.Version)
	}
	c.diagnostics(baseURI, func(*publication) bool { return true })
	var hover any = "unset"
	c.result("textDocument/hover", map[string]any{"textDocument": docID(overURI), "position": pos(0, 0)}, &hover)

	// Repaired: the syntax error is cleared.
	c.notify("textDocument/didChange", changeParams(overURI, string(data), 3))
	c.diagnostics(overURI, func(p *publication) bool {
		return p.Version != nil && *p.Version == 3 && len(p.withCode("yaml-syntax")) == 0
	})
}

// TestDiagnosticPositionsAreUTF16: columns after a character outside the
// Basic Multilingual Plane count it twice.
func TestDiagnosticPositionsAreUTF16(t *testing.T) {
	text := "services:\n  app:\n    image: nginx:1.27\n    env_file: [\"./😀.env\", ./missing.env]\n"
	dir := writeFiles(t, map[string]string{"compose.yaml": text})
	uri := pathToURI(filepath.Join(dir, "compose.yaml"))
	c, _ := startServer(t, Options{})
	c.initialize(fullCaps, nil)
	c.notify("textDocument/didOpen", openParams(uri, text, 1))
	pub := c.diagnostics(uri, func(p *publication) bool { return len(p.withCode("env-file-missing")) == 2 })
	ds := pub.withCode("env-file-missing")
	// `"./😀.env"` is runes 15–24 of its line, UTF-16 characters 15–25;
	// `./missing.env` follows at rune 26, character 27.
	if ds[0].Range.String() != "3:15-3:25" || ds[1].Range.String() != "3:27-3:40" {
		t.Errorf("env-file-missing at %s and %s, want 3:15-3:25 and 3:27-3:40", ds[0].Range, ds[1].Range)
	}
}

// TestInitializationOptions: interpolation values from the client.
func TestInitializationOptions(t *testing.T) {
	text := strings.Replace(overlayBase, "nginx:1.27", "nginx:${TAG}", 1)
	dir := writeFiles(t, map[string]string{"compose.yaml": text})
	uri := pathToURI(filepath.Join(dir, "compose.yaml"))
	for _, options := range []any{nil, map[string]any{"env": map[string]string{"TAG": "1.27"}}} {
		c, _ := startServer(t, Options{})
		c.initialize(fullCaps, options)
		c.notify("textDocument/didOpen", openParams(uri, text, 1))
		pub := c.diagnostics(uri, hasCode("unused-volume"))
		if got := len(pub.withCode("undefined-variable")); (options == nil) != (got == 1) {
			t.Errorf("options %v: %d undefined-variable findings", options, got)
		}
	}
}

// TestDidChangeConfiguration: settings of the initializationOptions shape
// (Helix sends its `config` again; VS Code its section, under "composelint")
// replace the client's earlier options, and every project is linted again.
func TestDidChangeConfiguration(t *testing.T) {
	text := strings.Replace(overlayBase, "nginx:1.27", "nginx:${TAG}", 1)
	dir := writeFiles(t, map[string]string{"compose.yaml": text})
	uri := pathToURI(filepath.Join(dir, "compose.yaml"))
	c, _ := startServer(t, Options{})
	c.initialize(fullCaps, map[string]any{"env": map[string]string{"TAG": "1.27"}})
	c.notify("textDocument/didOpen", openParams(uri, text, 1))
	if pub := c.diagnostics(uri, hasCode("unused-volume")); len(pub.withCode("undefined-variable")) != 0 {
		t.Fatalf("TAG given at initialize, yet: %v", pub.withCode("undefined-variable"))
	}
	undefined := func(p *publication) bool { return len(p.withCode("undefined-variable")) == 1 }
	defined := func(p *publication) bool {
		return hasCode("unused-volume")(p) && len(p.withCode("undefined-variable")) == 0
	}
	for i, step := range []struct {
		settings any
		want     func(*publication) bool
	}{
		{map[string]any{"env": map[string]string{"OTHER": "x"}}, undefined},                            // TAG no longer given
		{map[string]any{"composelint": map[string]any{"env": map[string]string{"TAG": "1"}}}, defined}, // VS Code's section
		{map[string]any{"env": []any{}}, undefined},                                                    // Lua's {} is a JSON array
		{map[string]any{"yaml": map[string]any{"format": true}}, nil},                                  // not ours: nothing changes
	} {
		c.notify("workspace/didChangeConfiguration", map[string]any{"settings": step.settings})
		if step.want != nil {
			c.diagnostics(uri, step.want)
			continue
		}
		// Settings that are not ours change nothing: a later edit still
		// lints with the last options (TAG unset).
		c.notify("textDocument/didChange", changeParams(uri, text+"\n", i+2))
		c.diagnostics(uri, func(p *publication) bool { return p.Version != nil && *p.Version == i+2 && undefined(p) })
	}
}

// TestLifecycle: requests before initialize are refused, a second
// initialize too, requests after shutdown are invalid, and exit after
// shutdown is exit code 0.
func TestLifecycle(t *testing.T) {
	c, wait := startServer(t, Options{})
	m := c.call("textDocument/hover", map[string]any{"textDocument": docID("file:///x.yml"), "position": pos(0, 0)})
	if m.Error == nil || m.Error.Code != -32002 {
		t.Errorf("hover before initialize: %+v, want error -32002", m.Error)
	}
	c.notify("textDocument/didOpen", openParams("file:///x/compose.yaml", "services: {}\n", 1)) // dropped
	c.initialize(fullCaps, nil)
	if m := c.call("initialize", map[string]any{"capabilities": map[string]any{}}); m.Error == nil {
		t.Error("a second initialize was accepted")
	}
	if m := c.call("textDocument/definition", map[string]any{}); m.Error == nil || m.Error.Code != -32601 {
		t.Errorf("unknown method: %+v, want -32601", m.Error)
	}
	c.notify("$/setTrace", map[string]any{"value": "off"}) // ignored
	c.result("shutdown", nil, nil)
	if m := c.call("textDocument/hover", map[string]any{}); m.Error == nil || m.Error.Code != -32600 {
		t.Errorf("hover after shutdown: %+v, want -32600", m.Error)
	}
	c.notify("exit", nil)
	if code := wait(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	c, wait := startServer(t, Options{})
	c.initialize(fullCaps, nil)
	c.notify("exit", nil)
	if code := wait(); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
}

func TestStreamClosedWithoutShutdown(t *testing.T) {
	if code := exitCodeAfter(t, func(w io.WriteCloser) { w.Close() }); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
}

// exitCodeAfter runs a server whose input is what send writes, and returns
// its exit code; the test fails if the server does not stop.
func exitCodeAfter(t *testing.T, send func(w io.WriteCloser)) int {
	t.Helper()
	clientIn, serverOut := io.Pipe()
	serverIn, clientOut := io.Pipe()
	t.Cleanup(func() { clientOut.Close() })
	codes := make(chan int, 1)
	go func() { codes <- New(Options{}).Serve(serverIn, serverOut) }()
	go io.Copy(io.Discard, clientIn)
	go send(clientOut)
	select {
	case code := <-codes:
		return code
	case <-time.After(waitLimit):
		t.Fatal("the server did not stop")
		return -1
	}
}

// blockingRule holds every lint until it is released, to show that the
// server answers while a lint runs.
type blockingRule struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (b *blockingRule) rule() *lint.Rule {
	return &lint.Rule{ID: "test-blocking", Summary: "blocks", Severity: lint.Info, Scope: lint.PerProject,
		Run: func(*lint.Pass) {
			b.once.Do(func() { close(b.started) })
			<-b.release
		}}
}

// TestAnswersWhileLinting: the reader never waits for a lint; a request
// that waits for one can be canceled; the lint that ran on an old version
// is followed by one of the latest.
func TestAnswersWhileLinting(t *testing.T) {
	dir := writeFiles(t, map[string]string{"docker-compose.yml": overlayBase})
	uri := pathToURI(filepath.Join(dir, "docker-compose.yml"))
	b := &blockingRule{started: make(chan struct{}), release: make(chan struct{})}
	eng := &lint.Engine{Rules: append(rules.All(), b.rule())}
	c, _ := startServer(t, Options{Engine: eng})
	c.initialize(fullCaps, nil)
	c.notify("textDocument/didOpen", openParams(uri, overlayBase, 1))
	select {
	case <-b.started:
	case <-time.After(waitLimit):
		t.Fatal("no lint started")
	}
	// The lint is blocked: requests and notifications still go through.
	c.notify("textDocument/didChange", changeParams(uri, strings.Replace(overlayBase, "data:", "data2:", 1), 2))
	if m := c.call("no/such/method", nil); m.Error == nil || m.Error.Code != -32601 {
		t.Errorf("got %+v, want -32601", m.Error)
	}
	// A hover waits for the lint of version 2: cancel it.
	id := c.start("textDocument/hover", map[string]any{"textDocument": docID(uri), "position": pos(4, 3)})
	c.notify("$/cancelRequest", map[string]any{"id": id})
	if m := c.response(id); m.Error == nil || m.Error.Code != -32800 {
		t.Errorf("canceled hover: %+v, want -32800", m.Error)
	}
	close(b.release)
	pub := c.diagnostics(uri, func(p *publication) bool { return p.Version != nil && *p.Version == 2 })
	if ds := pub.withCode("unused-volume"); len(ds) != 1 || !strings.Contains(ds[0].Message, "data2") {
		t.Errorf("diagnostics of version 2: %+v", pub.Diagnostics)
	}
}

// TestFixAllResolve: without `only`, fix-all is listed without its edit,
// which codeAction/resolve then computes; a client that cannot resolve
// does not get it on every cursor move.
func TestFixAllResolve(t *testing.T) {
	dir := copyTree(t, filepath.Join("..", "..", "testdata", "wemake", "2026-08-07_e922ccf3"))
	prodPath := filepath.Join(dir, "docker", "docker-compose.prod.yml")
	prodURI := pathToURI(prodPath)
	data, err := os.ReadFile(prodPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, resolve := range []bool{true, false} {
		caps := map[string]any{"textDocument": map[string]any{"codeAction": map[string]any{}}}
		if resolve {
			caps = fullCaps
		}
		c, _ := startServer(t, Options{})
		c.initialize(caps, nil)
		c.notify("textDocument/didOpen", openParams(prodURI, string(data), 7))
		c.diagnostics(prodURI, hasCode("proxy-volume-readonly"))
		var actions []wireAction
		c.result("textDocument/codeAction", map[string]any{
			"textDocument": docID(prodURI), "range": rng(20, 10, 20, 12),
			"context": map[string]any{"diagnostics": []any{}},
		}, &actions)
		var fixAll *wireAction
		for i, a := range actions {
			if a.Kind == FixAllKind {
				fixAll = &actions[i]
			}
		}
		if !resolve {
			if fixAll != nil {
				t.Errorf("fix-all offered to a client that cannot resolve it: %+v", fixAll)
			}
			if len(actions) != 1 || actions[0].Kind != "quickfix" {
				t.Errorf("actions = %+v, want the quick fix", actions)
			}
			// Without documentChanges support, edits come as changes.
			if e := actions[0].Edit; e == nil || len(e.DocumentChanges) != 0 || len(e.Changes[prodURI]) != 1 {
				t.Errorf("edit = %+v, want changes", e)
			}
			continue
		}
		if fixAll == nil || fixAll.Edit != nil || len(fixAll.Data) == 0 {
			t.Fatalf("fix-all = %+v, want one without an edit, with data", fixAll)
		}
		var resolved wireAction
		c.result("codeAction/resolve", fixAll, &resolved)
		edits := resolved.Edit.editsFor(prodURI)
		got := applyEdits(t, string(data), edits)
		want := strings.NewReplacer("/var/www/django/static  #", "/var/www/django/static:ro  #",
			"django-media:/var/www/django/media  # serving", "django-media:/var/www/django/media:ro  # serving").Replace(string(data))
		if got != want {
			t.Errorf("resolved fix-all gives:\n%s", got)
		}
		if v := resolved.Edit.DocumentChanges[0].TextDocument.Version; v == nil || *v != 7 {
			t.Errorf("fix-all edit of version %v, want 7", v)
		}
	}
}

// TestFixEditCreatesFiles: a fix that creates a file is a CreateFile
// followed by its edit when the client can create files, and plain
// changes otherwise.
func TestFixEditCreatesFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{"docker-compose.yml": overlayBase})
	base := source.New(filepath.Join(dir, "docker-compose.yml"), []byte(overlayBase))
	newFile := source.New(filepath.Join(dir, "docker-compose.override.yml"), nil)
	f := lint.Fix{Message: "move app to the override", Safety: lint.Unsafe, Edits: []lint.TextEdit{
		{File: base, Start: 10, End: 39, NewText: ""},
		{File: newFile, NewText: "services:\n  app:\n    image: nginx:1.27\n"},
	}}
	res := &result{versions: map[string]protocol.Integer{}}
	s := New(Options{})
	for _, caps := range []clientCaps{{documentChanges: true, createFiles: true}, {documentChanges: true}, {}} {
		edit := s.fixEdit(f, res, caps)
		b, _ := json.Marshal(edit)
		var got wireWSEdit
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		baseURI, newURI := pathToURI(base.Path), pathToURI(newFile.Path)
		if caps.createFiles {
			// The new file is created, then edited; then the base file.
			dc := got.DocumentChanges
			if len(dc) != 3 || dc[0].Kind != "create" || dc[0].URI != newURI ||
				dc[1].TextDocument == nil || dc[1].TextDocument.URI != newURI || dc[1].TextDocument.Version != nil ||
				dc[2].TextDocument == nil || dc[2].TextDocument.URI != baseURI {
				t.Fatalf("documentChanges = %s", b)
			}
			if !strings.Contains(string(b), `"options":{"ignoreIfExists":true}`) {
				t.Errorf("CreateFile without ignoreIfExists: %s", b)
			}
			continue
		}
		// A client without file creation gets plain changes.
		if len(got.DocumentChanges) != 0 || len(got.Changes[newURI]) != 1 || len(got.Changes[baseURI]) != 1 {
			t.Errorf("changes = %s", b)
		}
		if e := got.Changes[baseURI][0]; e.Range.String() != "1:0-3:0" || e.NewText != "" {
			t.Errorf("base edit = %+v", e)
		}
		if e := got.Changes[newURI][0]; e.Range.String() != "0:0-0:0" || !strings.HasPrefix(e.NewText, "services:") {
			t.Errorf("new file edit = %+v", e)
		}
	}
}

// TestQuickFixTitles: an unsafe fix says so in its title.
func TestQuickFixTitles(t *testing.T) {
	dir := writeFiles(t, map[string]string{"docker-compose.yml": overlayBase})
	base := source.New(filepath.Join(dir, "docker-compose.yml"), []byte(overlayBase))
	s := New(Options{})
	s.state = running
	uri := pathToURI(base.Path)
	s.docs[base.Path] = &document{uri: uri, path: base.Path, version: 3, text: base.Content}
	d := lint.Diagnostic{Rule: "unused-volume", Severity: lint.Info, File: base, Message: "m",
		Range: source.Range{Start: source.Pos{Line: 5, Col: 3}, End: source.Pos{Line: 5, Col: 7}},
		Fixes: []lint.Fix{
			{Message: "remove it", Safety: lint.Safe, Affects: []string{"volumes"}, Edits: []lint.TextEdit{{File: base, Start: 39, End: len(overlayBase)}}},
			{Message: "move it", Safety: lint.Unsafe, Edits: []lint.TextEdit{{File: base, Start: 48, End: 48, NewText: "  # moved\n"}}},
			// Quick fixes are verified as --fix verifies them: this one breaks the file.
			{Message: "break it", Safety: lint.Safe, Edits: []lint.TextEdit{{File: base, Start: 0, End: 0, NewText: "["}}},
			// And this one changes the model where it does not say it would.
			{Message: "change it", Safety: lint.Safe, Edits: []lint.TextEdit{{File: base, Start: 35, End: 38, NewText: "1.28"}}},
		}}
	res := &result{versions: map[string]protocol.Integer{base.Path: 3}, files: map[string]bool{base.Path: true}}
	res.items = []item{{d: d, path: base.Path, lsp: s.toDiagnostic(d, nil)}}
	s.workers[dir] = &worker{key: dir, dir: true, res: res, files: res.files}
	params, _ := json.Marshal(map[string]any{"textDocument": docID(uri), "range": rng(4, 4, 4, 4),
		"context": map[string]any{"diagnostics": []any{}, "only": []string{"quickfix"}}})
	got, err := s.codeAction(t.Context(), params)
	if err != nil {
		t.Fatal(err)
	}
	actions := got.([]protocol.CodeAction)
	if len(actions) != 2 || actions[0].Title != "remove it" || actions[1].Title != "move it (unsafe: changes what runs)" {
		t.Fatalf("actions = %+v", actions)
	}
	if !*actions[0].IsPreferred || *actions[1].IsPreferred {
		t.Error("only the safe fix is preferred")
	}
}

// TestDatabaseMoveWithBaseAndProductionOpen: with the base and the
// production file open, an edit of the production file re-loads production
// only (development comes from the cache, with its own parse of the base
// file); the database move is still offered on the base file.
func TestDatabaseMoveWithBaseAndProductionOpen(t *testing.T) {
	dir := copyTree(t, filepath.Join("..", "..", "testdata", "wemake", "2026-08-07_e922ccf3"))
	basePath, prodPath := filepath.Join(dir, "docker-compose.yml"), filepath.Join(dir, "docker", "docker-compose.prod.yml")
	baseURI, prodURI := pathToURI(basePath), pathToURI(prodPath)
	base, err := os.ReadFile(basePath)
	if err != nil {
		t.Fatal(err)
	}
	prod, err := os.ReadFile(prodPath)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := startServer(t, Options{})
	c.initialize(fullCaps, nil)
	c.notify("textDocument/didOpen", openParams(baseURI, string(base), 1))
	c.notify("textDocument/didOpen", openParams(prodURI, string(prod), 1))
	c.diagnostics(baseURI, hasCode("database-in-production"))
	c.notify("textDocument/didChange", changeParams(prodURI, "# edited\n"+string(prod), 2))
	c.diagnostics(prodURI, func(p *publication) bool { return p.Version != nil && *p.Version == 2 })
	db := c.diagnostics(baseURI, hasCode("database-in-production")).withCode("database-in-production")[0]
	var actions []wireAction
	at := db.Range.Start
	c.result("textDocument/codeAction", map[string]any{
		"textDocument": docID(baseURI), "range": rng(at.Line, at.Character, at.Line, at.Character),
		"context": map[string]any{"diagnostics": []any{}},
	}, &actions)
	var titles []string
	for _, a := range actions {
		titles = append(titles, a.Title)
		if strings.HasPrefix(a.Title, "move `db` to docker-compose.override.yml") {
			return
		}
	}
	t.Errorf("no database move among the actions at the db service: %q", titles)
}

// TestServerDiscoversAsTheCLI: the server finds a project's environments
// with the CLI's discovery: cookiecutter-django's production.yml, which
// has no base file beside it, is linted as production; a file in docker/
// belongs to the project above it, whose .env is read beside the base file.
func TestServerDiscoversAsTheCLI(t *testing.T) {
	prod := "services:\n  django:\n    build: .\n    depends_on: [postgres]\n  postgres:\n    image: postgres:16\n    volumes:\n      - data:/var/lib/postgresql/data\nvolumes:\n  data:\n"
	dir := writeFiles(t, map[string]string{
		"local.yml":                          "services:\n  django:\n    build: .\n",
		"production.yml":                     prod,
		"app/docker/docker-compose.yml":      "services:\n  web:\n    image: nginx:${TAG}\n",
		"app/docker/.env":                    "TAG=1.27\n",
		"app/docker/docker-compose.prod.yml": "services:\n  web:\n    restart: always\n",
	})
	prodURI := pathToURI(filepath.Join(dir, "production.yml"))
	webURI := pathToURI(filepath.Join(dir, "app", "docker", "docker-compose.prod.yml"))
	c, _ := startServer(t, Options{})
	c.initialize(fullCaps, nil)
	c.notify("textDocument/didOpen", openParams(prodURI, prod, 1))
	c.diagnostics(prodURI, hasCode("database-in-production"))

	// Linted as the project of app/ (base in docker/, .env beside it): no
	// undefined TAG, and the override is part of production.
	c.notify("textDocument/didOpen", openParams(webURI, "services:\n  web:\n    restart: always\n", 1))
	pub := c.diagnostics(webURI, func(*publication) bool { return true })
	if len(pub.Diagnostics) != 0 {
		t.Errorf("diagnostics %+v, want none", pub.Diagnostics)
	}
}
