package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tempProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, p, content)
	}
	return dir
}

const versioned = "# base\nversion: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27  # pinned\n"

func TestDiffWritesNothing(t *testing.T) {
	dir := tempProject(t, map[string]string{"compose.yaml": versioned})
	code, out, stderr := runCLI(t, "--diff", dir)
	if code != 1 || stderr != "" {
		t.Errorf("exit %d, stderr %q; want 1 and nothing on stderr", code, stderr)
	}
	if !strings.Contains(out, "-version: \"3.8\"") || !strings.Contains(out, "+++ b/") {
		t.Errorf("diff:\n%s", out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "compose.yaml")); string(got) != versioned {
		t.Errorf("--diff wrote the file:\n%s", got)
	}
}

func TestFixWritesAndIsIdempotent(t *testing.T) {
	dir := tempProject(t, map[string]string{"compose.yaml": versioned})
	code, out, _ := runCLI(t, "--no-color", dir)
	if code != 1 {
		t.Fatalf("before fixing: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "--no-color", "--fix", dir)
	if code != 0 || !strings.Contains(out, "fixed 1 problem") {
		t.Errorf("--fix: exit %d\n%s", code, out)
	}
	want := "# base\nservices:\n  web:\n    image: nginx:1.27  # pinned\n"
	if got, _ := os.ReadFile(filepath.Join(dir, "compose.yaml")); string(got) != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, want)
	}
	if code, out, _ = runCLI(t, "--diff", dir); code != 0 || out != "" {
		t.Errorf("a second fix would change: exit %d\n%s", code, out)
	}
}

func TestFixKeepsCRLF(t *testing.T) {
	crlf := strings.ReplaceAll(versioned, "\n", "\r\n")
	dir := tempProject(t, map[string]string{"compose.yaml": crlf})
	runCLI(t, "--fix", dir)
	got, _ := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	if want := strings.Replace(crlf, "version: \"3.8\"\r\n", "", 1); string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestStdinFixPrintsTheFixedBuffer(t *testing.T) {
	dir := tempProject(t, map[string]string{"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n"})
	path := filepath.Join(dir, "compose.yaml")
	var out, errb bytes.Buffer
	code := run([]string{"--fix", "--stdin-filename", path, "-"}, strings.NewReader(versioned), &out, &errb)
	want := "# base\nservices:\n  web:\n    image: nginx:1.27  # pinned\n"
	if code != 0 || out.String() != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want the fixed buffer", code, out.String(), errb.String())
	}
	if got, _ := os.ReadFile(path); string(got) != "services:\n  web:\n    image: nginx:1.27\n" {
		t.Errorf("the file on disk changed: %q", got)
	}
	// Without --fix: the buffer is linted in place of the file.
	out.Reset()
	code = run([]string{"--format", "json", "--stdin-filename", path, "-"}, strings.NewReader(versioned), &out, &errb)
	if code != 1 || !strings.Contains(out.String(), "obsolete-version") {
		t.Errorf("lint of stdin: exit %d\n%s", code, out.String())
	}
}
