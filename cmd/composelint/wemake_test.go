package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestWemakeGolden")

// TestWemakeGolden lints each wemake-django-template snapshot in
// testdata/wemake and compares the JSON with golden/<snapshot>.json, which
// holds the findings we expect and have reviewed line by line.
func TestWemakeGolden(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "wemake")
	snapshots, _ := filepath.Glob(filepath.Join(root, "20*"))
	if len(snapshots) != 6 {
		t.Fatalf("found %d wemake snapshots, want 6", len(snapshots))
	}
	for _, dir := range snapshots {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run([]string{"--format", "json", dir}, strings.NewReader(""), &out, &errb)
			if code == 2 || errb.Len() > 0 {
				t.Fatalf("exit %d, stderr %q", code, errb.String())
			}
			// File names relative to the snapshot, so that the golden files
			// do not depend on where the test runs.
			abs, err := filepath.Abs(dir)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.ReplaceAll(out.String(), filepath.ToSlash(abs)+"/", "")
			golden := filepath.Join(root, "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			var w, g any
			if err := json.Unmarshal(want, &w); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(got), &g); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(w, g); diff != "" {
				t.Errorf("findings differ from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}
