package lsp

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/rules"
)

// buildBinary builds cmd/composelint into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	bin := filepath.Join(t.TempDir(), "composelint")
	cmd := exec.Command(gobin, "build", "-o", bin, "./cmd/composelint")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startBinary runs `composelint lsp` and returns a client on its stdio and
// a function that waits for its exit code.
func startBinary(t *testing.T, bin string) (*client, func() int, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, "lsp")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	wait := func() int {
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return ee.ExitCode()
			}
			if err != nil {
				t.Fatalf("wait: %v", err)
			}
			return 0
		case <-time.After(waitLimit):
			t.Fatalf("the server did not exit; stderr:\n%s", stderr.String())
			return -1
		}
	}
	return newClient(t, stdout, stdin), wait, &stderr
}

// TestEndToEnd drives the real binary over stdio through a session on the
// production file of the wemake-django-template: diagnostics at the right
// places, the quick fix, the diagnostic gone once the fix is typed in,
// fix-all on save, the rule's documentation on hover, and a clean exit.
func TestEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	dir := copyTree(t, filepath.Join("..", "..", "testdata", "wemake", "2026-08-07_e922ccf3"))
	prodPath := filepath.Join(dir, "docker", "docker-compose.prod.yml")
	prodURI := pathToURI(prodPath)
	baseURI := pathToURI(filepath.Join(dir, "docker-compose.yml"))
	data, err := os.ReadFile(prodPath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)

	c, wait, stderr := startBinary(t, bin)
	c.initialize(fullCaps, nil)
	c.notify("textDocument/didOpen", openParams(prodURI, text, 1))
	checkOpenDiagnostics(t, c, prodURI, baseURI)

	// Type the quick fix of the first one in: the diagnostic goes, the other stays.
	text = applyEdits(t, text, quickFixAtLine19(t, c, prodURI))
	c.notify("textDocument/didChange", changeParams(prodURI, text, 2))
	pub := c.diagnostics(prodURI, func(p *publication) bool { return p.Version != nil && *p.Version == 2 })
	ro := pub.withCode("proxy-volume-readonly")
	if len(ro) != 1 || ro[0].Range.String() != "20:8-20:42" {
		t.Fatalf("after the fix, proxy-volume-readonly at %v, want only 20:8-20:42", ro)
	}
	checkHover(t, c, prodURI)
	checkFixAll(t, c, prodURI, text)

	var null any = "unset"
	c.result("shutdown", nil, &null)
	if null != nil {
		t.Errorf("shutdown result = %v, want null", null)
	}
	c.notify("exit", nil)
	if code := wait(); code != 0 {
		t.Errorf("exit code %d after shutdown, want 0; stderr:\n%s", code, stderr)
	}
}

// checkOpenDiagnostics: the two writable mounts of the app's volumes in the
// proxy (lines 20 and 21 of the file, 19 and 20 for LSP; columns 9 to 45 and
// 9 to 43), and the base file's finding, though it is not open.
func checkOpenDiagnostics(t *testing.T, c *client, prodURI, baseURI string) {
	t.Helper()
	pub := c.diagnostics(prodURI, func(p *publication) bool { return len(p.withCode("proxy-volume-readonly")) > 0 })
	ro := pub.withCode("proxy-volume-readonly")
	if len(ro) != 2 || ro[0].Range.String() != "19:8-19:44" || ro[1].Range.String() != "20:8-20:42" {
		t.Fatalf("proxy-volume-readonly at %v, want 19:8-19:44 and 20:8-20:42", ro)
	}
	for _, d := range ro {
		if d.Severity != 2 || d.Source != "composelint" || !strings.Contains(d.Message, "django-") {
			t.Errorf("diagnostic %+v: want severity 2 (warning), source composelint", d)
		}
		if d.CodeDescription == nil || !strings.HasSuffix(d.CodeDescription.Href, "#proxy-volume-readonly") {
			t.Errorf("codeDescription = %+v", d.CodeDescription)
		}
	}
	if pub.Version == nil || *pub.Version != 1 {
		t.Errorf("version = %v, want 1", pub.Version)
	}
	base := c.diagnostics(baseURI, func(p *publication) bool { return len(p.withCode("database-in-production")) > 0 })
	if d := base.withCode("database-in-production")[0]; d.Range.String() != "10:2-10:4" {
		t.Errorf("database-in-production at %s, want 10:2-10:4", d.Range)
	}
}

// quickFixAtLine19 asks for the code actions at the first writable mount and
// returns the edits of its one quick fix.
func quickFixAtLine19(t *testing.T, c *client, prodURI string) []wireEdit {
	t.Helper()
	var actions []wireAction
	c.result("textDocument/codeAction", map[string]any{
		"textDocument": docID(prodURI), "range": rng(19, 8, 19, 8),
		"context": map[string]any{"diagnostics": []any{}},
	}, &actions)
	var quick *wireAction
	for i, a := range actions {
		if a.Kind == "quickfix" {
			if quick != nil {
				t.Errorf("more than one quick fix at line 19: %+v", actions)
			}
			quick = &actions[i]
		}
	}
	if quick == nil {
		t.Fatalf("no quick fix in %+v", actions)
	}
	if quick.Title != "mount django-static read-only in caddy" || !quick.IsPreferred {
		t.Errorf("quick fix %q (preferred %v)", quick.Title, quick.IsPreferred)
	}
	if len(quick.Diagnostics) != 1 || quick.Diagnostics[0].Code != "proxy-volume-readonly" {
		t.Errorf("quick fix diagnostics = %+v", quick.Diagnostics)
	}
	edits := quick.Edit.editsFor(prodURI)
	if len(edits) != 1 || edits[0].NewText != ":ro" || edits[0].Range.String() != "19:44-19:44" {
		t.Fatalf("quick fix edits = %+v, want :ro inserted at 19:44", edits)
	}
	if dc := quick.Edit.DocumentChanges; len(dc) != 1 || dc[0].TextDocument.Version == nil || *dc[0].TextDocument.Version != 1 {
		t.Errorf("documentChanges = %+v, want one edit of version 1", dc)
	}
	return edits
}

// checkHover: hovering the remaining finding shows its rule's documentation.
func checkHover(t *testing.T, c *client, prodURI string) {
	t.Helper()
	var hover struct {
		Contents struct {
			Kind  string `json:"kind"`
			Value string `json:"value"`
		} `json:"contents"`
		Range *wireRange `json:"range"`
	}
	c.result("textDocument/hover", map[string]any{"textDocument": docID(prodURI), "position": pos(20, 20)}, &hover)
	eng := &lint.Engine{Rules: rules.All()}
	if hover.Contents.Kind != "markdown" || hover.Contents.Value != rules.Markdown(eng.Rule("proxy-volume-readonly")) {
		t.Errorf("hover = %+v, want the rule's markdown", hover.Contents)
	}
	if hover.Range == nil || hover.Range.String() != "20:8-20:42" {
		t.Errorf("hover range = %v", hover.Range)
	}
}

// checkFixAll: fix-all, as on save, makes the other mount read-only too.
func checkFixAll(t *testing.T, c *client, prodURI, text string) {
	t.Helper()
	var actions []wireAction
	c.result("textDocument/codeAction", map[string]any{
		"textDocument": docID(prodURI), "range": rng(0, 0, 0, 0),
		"context": map[string]any{"diagnostics": []any{}, "only": []string{"source.fixAll.composelint"}},
	}, &actions)
	if len(actions) != 1 || actions[0].Kind != FixAllKind || actions[0].Edit == nil {
		t.Fatalf("fix-all actions = %+v", actions)
	}
	fixed := applyEdits(t, text, actions[0].Edit.editsFor(prodURI))
	if want := strings.Replace(text, "django-media:/var/www/django/media  # serving", "django-media:/var/www/django/media:ro  # serving", 1); fixed != want {
		t.Errorf("fix-all made:\n%s\nwant:\n%s", fixed, want)
	}
}

// TestEndToEndExitWithoutShutdown: exit before shutdown is exit code 1.
func TestEndToEndExitWithoutShutdown(t *testing.T) {
	bin := buildBinary(t)
	c, wait, stderr := startBinary(t, bin)
	c.initialize(fullCaps, nil)
	c.notify("exit", nil)
	if code := wait(); code != 1 {
		t.Errorf("exit code %d without shutdown, want 1; stderr:\n%s", code, stderr)
	}
}
