package report

import (
	"bytes"
	"encoding/json"
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
