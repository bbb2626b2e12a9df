package main

import (
	"bytes"
	"encoding/json"
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

// TestFixReportNamesWhatItApplied: the JSON report of --fix lists the fixes
// it applied (with "fixed": true, where the finding was before the fix), so
// that a tool can tell which files it changed and why; they do not fail the
// run. Here the unused volume is removed from compose.yaml while the
// remaining finding's unsafe fix names only the override.
func TestFixReportNamesWhatItApplied(t *testing.T) {
	dir := tempProject(t, map[string]string{
		"compose.yaml":          "services:\n  app:\n    image: nginx:1.27\n    ports:\n      - \"127.0.0.1:8080:80\"\nvolumes:\n  unused:\n",
		"compose.override.yaml": "services:\n  cache:\n    image: redis:7\n    ports:\n      - \"6379:6379\"\n",
	})
	code, out, stderr := runCLI(t, "--fix", "--format", "json", dir)
	var doc struct {
		Diagnostics []struct {
			Rule  string
			Fixed bool
			Fixes []struct{ Edits []struct{ File string } }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("exit %d, not JSON: %v\n%s%s", code, err, out, stderr)
	}
	var fixed []string
	for _, d := range doc.Diagnostics {
		if d.Fixed {
			for _, f := range d.Fixes {
				for _, e := range f.Edits {
					fixed = append(fixed, d.Rule+" "+filepath.Base(e.File))
				}
			}
		}
	}
	if got := strings.Join(fixed, ","); got != "unused-volume compose.yaml" {
		t.Errorf("applied fixes in the report: %q, want unused-volume in compose.yaml\n%s", got, out)
	}
}
