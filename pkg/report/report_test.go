package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

func TestEnvFileExcerptHidesValues(t *testing.T) {
	env := source.New("/p/config/.env", []byte("DATABASE_URL=postgres://app:s3cret@db/app\n"))
	d := lint.Diagnostic{Rule: "r", Severity: lint.Warning, Message: "m", File: env,
		Range: source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 1, Col: 13}}}
	var b bytes.Buffer
	if err := Text(&b, []lint.Diagnostic{d}, Options{Cwd: "/p"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "s3cret") || !strings.Contains(b.String(), "DATABASE_URL=…") {
		t.Errorf("excerpt:\n%s", b.String())
	}
}

func TestJSONContract(t *testing.T) {
	f := source.ParseYAML("/p/compose.yaml", []byte("version: '3'\nservices:\n  wéb:\n    image: x\n"))
	d := lint.Diagnostic{Rule: "obsolete-version", Severity: lint.Warning, Message: "m", File: f,
		Range: source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 1, Col: 8}},
		Fixes: []lint.Fix{{Message: "remove", Safety: lint.Safe, Edits: []lint.TextEdit{{File: f, Start: 0, End: 13}}}}}
	var b bytes.Buffer
	if err := JSON(&b, []lint.Diagnostic{d}, Options{Cwd: "/p"}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	diag := doc["diagnostics"].([]any)[0].(map[string]any)
	for _, k := range []string{"rule", "severity", "message", "file", "line", "column", "end_line", "end_column", "environments", "fixes"} {
		if _, ok := diag[k]; !ok {
			t.Errorf("diagnostic lacks %q", k)
		}
	}
	if diag["file"] != "compose.yaml" {
		t.Errorf("file %v, want relative to the working directory", diag["file"])
	}
	edit := diag["fixes"].([]any)[0].(map[string]any)["edits"].([]any)[0].(map[string]any)
	if edit["line"] != 1.0 || edit["end_line"] != 2.0 || edit["end_column"] != 1.0 || edit["new_text"] != "" {
		t.Errorf("edit %v: want 1:1-2:1", edit)
	}
}

// TestLongLineExcerptIsAWindow: a finding on a line of megabytes (a
// minified or binary file) shows a window of the line around its column,
// with the caret under the same character, not the whole line.
func TestLongLineExcerptIsAWindow(t *testing.T) {
	line := strings.Repeat("a", 100_000) + "XYZ" + strings.Repeat("b", 100_000)
	f := source.New("/p/compose.yaml", []byte(line+"\n"))
	d := lint.Diagnostic{Rule: "r", Severity: lint.Error, Message: "m", File: f,
		Range: source.Range{Start: source.Pos{Line: 1, Col: 100_001}, End: source.Pos{Line: 1, Col: 100_004}}}
	var b bytes.Buffer
	if err := Text(&b, []lint.Diagnostic{d}, Options{Cwd: "/p", Quiet: false}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if len(out) > 1000 {
		t.Fatalf("the excerpt is %d bytes", len(out))
	}
	lines := strings.Split(out, "\n")
	src, caret := []rune(lines[1]), []rune(lines[2])
	at := strings.IndexRune(string(caret), '^')
	at = len([]rune(string(caret)[:at]))
	if string(src[at:at+3]) != "XYZ" || !strings.HasPrefix(string(caret[at:]), "^^^") {
		t.Errorf("caret not under XYZ:\n%s\n%s", lines[1], lines[2])
	}
}

// TestWriteFileThroughSymlink: --output-file at a symlink writes its
// target, as --fix does with compose files, and keeps the link.
func TestWriteFileThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "reports", "lint.json")
	os.MkdirAll(filepath.Dir(target), 0o755)
	os.WriteFile(target, []byte("old"), 0o644)
	link := filepath.Join(dir, "latest.json")
	os.Symlink(filepath.Join("reports", "lint.json"), link)
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Errorf("target = %q", got)
	}
}
