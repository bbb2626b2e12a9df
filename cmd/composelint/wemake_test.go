package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestWemakeGolden (keeping their comments)")

// TestWemakeGolden lints each wemake-django-template snapshot in
// testdata/wemake and compares what it finds with golden/<snapshot>.txt: a
// projection of the report a reviewer reads line by line, one environment
// or finding a line (RULE FILE:LINE ENVIRONMENTS [FIX SAFETY...]). Text
// after `#` is a reviewer's note: the comparison ignores it and -update
// keeps it on the line it annotates.
func TestWemakeGolden(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "wemake")
	snapshots, _ := filepath.Glob(filepath.Join(root, "20*"))
	if len(snapshots) != 6 {
		t.Fatalf("found %d wemake snapshots, want 6", len(snapshots))
	}
	for _, dir := range snapshots {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			got := lintProjection(t, dir)
			golden := filepath.Join(root, "golden", name+".txt")
			old, err := os.ReadFile(golden)
			if *update {
				if err := os.WriteFile(golden, []byte(withNotes(got, string(old))), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(stripNotes(string(old)), got); diff != "" {
				t.Errorf("findings differ from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// lintProjection lints the project in dir as the command line does and
// returns the projection of its report, files relative to dir.
func lintProjection(t *testing.T, dir string) []string {
	t.Helper()
	var out, errb bytes.Buffer
	code := run([]string{"--format", "json", dir}, strings.NewReader(""), &out, &errb)
	if code == 2 || errb.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := projection(out.Bytes(), filepath.ToSlash(abs)+"/")
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// projection turns a JSON report into lines: each environment with its
// files, then each finding, files relative to the snapshot (prefix cut).
func projection(report []byte, prefix string) ([]string, error) {
	var doc struct {
		Environments []struct {
			Name  string   `json:"name"`
			Files []string `json:"files"`
		} `json:"environments"`
		Diagnostics []struct {
			Rule         string   `json:"rule"`
			File         string   `json:"file"`
			Line         int      `json:"line"`
			Environments []string `json:"environments"`
			Fixes        []struct {
				Safety string `json:"safety"`
			} `json:"fixes"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(report, &doc); err != nil {
		return nil, err
	}
	rel := func(p string) string { return strings.TrimPrefix(filepath.ToSlash(p), prefix) }
	var out []string
	for _, e := range doc.Environments {
		files := make([]string, len(e.Files))
		for i, f := range e.Files {
			files[i] = rel(f)
		}
		out = append(out, fmt.Sprintf("environment %s: %s", e.Name, strings.Join(files, " ")))
	}
	for _, d := range doc.Diagnostics {
		line := fmt.Sprintf("%s %s:%d %s", d.Rule, rel(d.File), d.Line, strings.Join(d.Environments, ","))
		for _, f := range d.Fixes {
			line += " fix:" + f.Safety
		}
		out = append(out, line)
	}
	return out, nil
}

// stripNotes returns the lines of a golden file without notes and blank lines.
func stripNotes(golden string) []string {
	var out []string
	for _, l := range strings.Split(golden, "\n") {
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// withNotes writes lines as a golden file, keeping the notes of the old
// one: its leading comment block, and each line's trailing note.
func withNotes(lines []string, old string) string {
	var b strings.Builder
	notes := map[string]string{}
	head := true
	for _, l := range strings.Split(old, "\n") {
		if head && strings.HasPrefix(l, "#") {
			b.WriteString(l + "\n")
			continue
		}
		head = false
		if code, note, ok := strings.Cut(l, "#"); ok {
			notes[strings.TrimSpace(code)] = note
		}
	}
	for _, l := range lines {
		if n, ok := notes[l]; ok {
			l += "  #" + n
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}
