package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// layoutDir is a project of testdata/discovery, relative to the current
// directory as a user would name it.
func layoutDir(name string) string {
	return filepath.Join("..", "..", "testdata", "discovery", name)
}

// Every run says what it linted; a project without a base file (cookiecutter-
// django's local.yml and production.yml) is linted, not refused.
func TestSummaryNamesEnvironments(t *testing.T) {
	for _, tc := range []struct {
		layout, linted, note string
	}{
		{"cookiecutter", "linted development (local.yml) and production (production.yml)\n", ""},
		{"wemake", "linted development (docker-compose.yml, docker-compose.override.yml) and " +
			"production (docker-compose.yml, docker/docker-compose.prod.yml)\n", ""},
		{"base-override", "linted development (docker-compose.yml, docker-compose.override.yml) and production (docker-compose.yml)\n",
			"note: docker-compose.yml is taken as production (without docker-compose.override.yml, which reads as development settings); " +
				"if it is for development only, write in .composelint.yaml: environments: {development: [docker-compose.yml, docker-compose.override.yml]}\n"},
		{"dev-only", "linted development (local.yml)\n",
			"note: no production environment found, so the production rules did not run; to name one, write in " +
				".composelint.yaml: environments: {development: [local.yml], production: [local.yml]}\n"},
		{"prod-standalone", "linted development (docker-compose.yml) and production (production.yml)\n",
			"note: production.yml is linted on its own (it defines every service it runs); if it overlays docker-compose.yml, write in " +
				".composelint.yaml: environments: {development: [docker-compose.yml], production: [docker-compose.yml, production.yml]}\n"},
	} {
		t.Run(tc.layout, func(t *testing.T) {
			t.Chdir(layoutDir(tc.layout))
			code, out, stderr := runCLI(t, "--no-color")
			if code == 2 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if !strings.Contains(out, tc.linted) || !strings.Contains(out, tc.note) {
				t.Errorf("output:\n%s\nwant the lines:\n%s%s", out, tc.linted, tc.note)
			}
			if tc.note == "" && strings.Contains(out, "note:") {
				t.Errorf("output:\n%s\nwant no note", out)
			}
			if _, out, _ := runCLI(t, "--quiet"); strings.Contains(out, "linted ") {
				t.Errorf("--quiet prints the summary:\n%s", out)
			}
		})
	}
}

// The JSON report names each environment with its files, written as the
// files of diagnostics are, and discovery's notes.
func TestJSONEnvironments(t *testing.T) {
	t.Chdir(layoutDir("."))
	var out struct {
		Environments []struct {
			Name  string   `json:"name"`
			Files []string `json:"files"`
		} `json:"environments"`
		Notes []struct{ Message, Config, Line string } `json:"notes"`
	}
	code, stdout, stderr := runCLI(t, "--format", "json", "prod-standalone")
	if code == 2 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	rel := func(f string) string { return "prod-standalone/" + f }
	got := map[string][]string{}
	for _, e := range out.Environments {
		got[e.Name] = e.Files
	}
	want := map[string][]string{"development": {rel("docker-compose.yml")}, "production": {rel("production.yml")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("environments (-want +got):\n%s", diff)
	}
	if len(out.Notes) != 1 || out.Notes[0].Config != rel(".composelint.yaml") ||
		out.Notes[0].Line != "environments: {development: [docker-compose.yml], production: [docker-compose.yml, production.yml]}" {
		t.Errorf("notes %+v", out.Notes)
	}
}

// The line a note gives settles the guess: with it in .composelint.yaml,
// the environments are those it names, and the note is gone.
func TestNoteLineSettlesTheGuess(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"docker-compose.yml", "production.yml"} {
		data, err := os.ReadFile(filepath.Join(layoutDir("prod-standalone"), f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	line := "environments: {development: [docker-compose.yml], production: [docker-compose.yml, production.yml]}\n"
	if err := os.WriteFile(filepath.Join(dir, ".composelint.yaml"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	_, out, stderr := runCLI(t, "--no-color")
	if stderr != "" || strings.Contains(out, "note:") ||
		!strings.Contains(out, "linted development (docker-compose.yml) and production (docker-compose.yml, production.yml)\n") {
		t.Errorf("output:\n%s%s", out, stderr)
	}
}
