package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type jsonOut struct {
	Version     int `json:"version"`
	Diagnostics []struct {
		Rule         string   `json:"rule"`
		Severity     string   `json:"severity"`
		Message      string   `json:"message"`
		File         string   `json:"file"`
		Line         int      `json:"line"`
		Column       int      `json:"column"`
		EndLine      int      `json:"end_line"`
		EndColumn    int      `json:"end_column"`
		Environments []string `json:"environments"`
		Fixes        []any    `json:"fixes"`
	} `json:"diagnostics"`
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func runJSON(t *testing.T, args ...string) (int, jsonOut) {
	t.Helper()
	code, out, stderr := runCLI(t, append([]string{"--format", "json"}, args...)...)
	if stderr != "" {
		t.Errorf("stderr not empty: %q", stderr)
	}
	var doc jsonOut
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if doc.Version != 1 {
		t.Errorf("version = %d, want 1", doc.Version)
	}
	return code, doc
}

func TestUsageErrorsExit2WithOneLine(t *testing.T) {
	for _, args := range [][]string{
		{"no/such/dir"},
		{"--no-such-flag"},
		{"--format", "xml", "../../testdata/example"},
		{"--fail-level", "fatal", "../../testdata/example"},
		{"-f", "../../testdata/example/missing.yml"},
		{"explain", "no-such-rule"},
		{"../../testdata"}, // a directory without a compose file
	} {
		code, out, stderr := runCLI(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "composelint: ") {
			t.Errorf("%v: want one line on stderr, got stdout %q stderr %q", args, out, stderr)
		}
	}
}

func TestObsoleteVersionInBaseAndOverride(t *testing.T) {
	code, doc := runJSON(t, "../../testdata/rules/obsolete-version/base-and-override")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var got []string
	for _, d := range doc.Diagnostics {
		got = append(got, filepath.Base(d.File)+":"+itoa(d.Line)+":"+d.Rule)
	}
	want := []string{"docker-compose.override.yml:1:obsolete-version", "docker-compose.yml:1:obsolete-version"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestThreeSchemaErrorsThreeLines(t *testing.T) {
	code, doc := runJSON(t, "-f", "../../testdata/cli/three-schema-errors.yml")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var lines []int
	for _, d := range doc.Diagnostics {
		if d.Rule != "compose-schema" {
			t.Errorf("unexpected %s at line %d: %s", d.Rule, d.Line, d.Message)
			continue
		}
		lines = append(lines, d.Line)
	}
	if diff := cmp.Diff([]int{4, 5, 8}, lines); diff != "" {
		t.Errorf("schema error lines (-want +got):\n%s", diff)
	}
}

func TestSyntaxErrorAtItsLine(t *testing.T) {
	code, doc := runJSON(t, "-f", "../../testdata/cli/syntax-error.yml")
	if code != 1 || len(doc.Diagnostics) != 1 || doc.Diagnostics[0].Rule != "yaml-syntax" || doc.Diagnostics[0].Line != 6 {
		t.Errorf("exit %d, diagnostics %+v; want exit 1 and one yaml-syntax at line 6", code, doc.Diagnostics)
	}
}

func TestFileArgumentReportsOnlyThatFile(t *testing.T) {
	_, doc := runJSON(t, "../../testdata/example/docker-compose.override.yml")
	if len(doc.Diagnostics) == 0 {
		t.Fatal("no diagnostics for the override")
	}
	for _, d := range doc.Diagnostics {
		if filepath.Base(d.File) != "docker-compose.override.yml" {
			t.Errorf("reported %s:%d (%s) although only the override was named", d.File, d.Line, d.Rule)
		}
	}
}

func TestJSONPositionsAndEnvironments(t *testing.T) {
	_, doc := runJSON(t, "../../testdata/example")
	found := false
	for _, d := range doc.Diagnostics {
		if d.Line < 1 || d.Column < 1 || d.EndLine < d.Line || (d.EndLine == d.Line && d.EndColumn < d.Column) {
			t.Errorf("bad range %d:%d-%d:%d for %s", d.Line, d.Column, d.EndLine, d.EndColumn, d.Rule)
		}
		if d.Fixes == nil || d.Environments == nil {
			t.Errorf("%s: fixes and environments must be lists, not null", d.Rule)
		}
		if d.Rule == "obsolete-version" && filepath.Base(d.File) == "docker-compose.yml" {
			found = true
			if diff := cmp.Diff([]string{"development", "production"}, d.Environments); diff != "" {
				t.Errorf("base file finding environments (-want +got):\n%s", diff)
			}
		}
	}
	if !found {
		t.Error("no obsolete-version in the example's base file")
	}
}

func TestFailLevel(t *testing.T) {
	dir := "../../testdata/rules/env-file-missing/missing" // info findings only
	if code, _, _ := runCLI(t, dir); code != 0 {
		t.Errorf("info findings with the default fail level: exit %d, want 0", code)
	}
	if code, _, _ := runCLI(t, "--fail-level", "info", dir); code != 1 {
		t.Errorf("info findings with --fail-level info: exit %d, want 1", code)
	}
}

func TestTextOutputHasCaretAndSummary(t *testing.T) {
	_, out, _ := runCLI(t, "--no-color", "../../testdata/rules/obsolete-version/base-and-override/docker-compose.yml")
	finding := "docker-compose.yml:1:1: warning: `version` is obsolete: Compose ignores it; remove it [obsolete-version]\n" +
		" 1 | version: \"3.8\"  # want \"obsolete-version\"\n" +
		"   | ^^^^^^^\n"
	summary := "docker-compose.yml)\n" + // linted development (…) and production (…docker-compose.yml)
		"note: docker-compose.yml is taken as production (without docker-compose.override.yml, which reads as development settings); if it is for development only, write in "
	want := "1 problem (0 errors, 1 warning, 0 info) in 1 file\n"
	i, j := strings.Index(out, finding), strings.Index(out, summary)
	if i < 0 || j < i || !strings.HasSuffix(out, want) || strings.Contains(out, "\x1b[") {
		t.Errorf("text output:\n%s\nwant the finding, what was linted, a note, and the counts", out)
	}
}

func TestAdversarialInputsAreRejectedCleanly(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/invalid/*.yml")
	if len(files) < 8 {
		t.Fatalf("found %d adversarial files", len(files))
	}
	for _, f := range files {
		code, doc := runJSON(t, "-f", f)
		if code == 2 {
			t.Errorf("%s: exit 2; a bad file is a finding (exit 1)", f)
		}
		if filepath.Base(f) == "multi-doc.yml" {
			continue // several documents are valid Compose
		}
		if code != 1 || len(doc.Diagnostics) == 0 {
			t.Errorf("%s: exit %d with %d diagnostics, want exit 1 and a located diagnostic", f, code, len(doc.Diagnostics))
		}
	}
}

func TestConfigErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "compose.yaml"), "services:\n  web:\n    image: nginx\n")
	for _, cfg := range []string{
		"rulez: {}\n",
		"rules:\n  no-such-rule: off\n",
		"rules:\n  obsolete-version: loud\n",
		"environments:\n  production: [missing.yml]\n",
	} {
		write(t, filepath.Join(dir, ".composelint.yaml"), cfg)
		code, _, stderr := runCLI(t, dir)
		if code != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("config %q: exit %d, stderr %q; want exit 2 and one line", cfg, code, stderr)
		}
	}
	write(t, filepath.Join(dir, ".composelint.yaml"), "rules:\n  obsolete-version: off\n")
	write(t, filepath.Join(dir, "compose.yaml"), "version: '3'\nservices:\n  web:\n    image: nginx:1.27\n")
	if code, out, _ := runCLI(t, "-q", dir); code != 0 || out != "" {
		t.Errorf("rule turned off: exit %d, output %q", code, out)
	}
}

func TestRulesAndExplain(t *testing.T) {
	code, out, _ := runCLI(t, "rules")
	if code != 0 || !strings.Contains(out, "obsolete-version") {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "explain", "obsolete-version")
	for _, part := range []string{"# obsolete-version", "## What it does", "## Why", "## Example", "## Instead"} {
		if code != 0 || !strings.Contains(out, part) {
			t.Errorf("explain lacks %q:\n%s", part, out)
		}
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
