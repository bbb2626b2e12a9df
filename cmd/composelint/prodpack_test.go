package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// productionPackII are the rules of issue 12, which read beside the compose
// files the CI script, the Caddyfile, the Django settings and the env files.
var productionPackII = []string{"django-checks-missing", "https-inconsistent", "postgres-data-path",
	"proxy-gets-app-secrets", "proxy-on-database-network", "proxy-upstream-unreachable"}

// TestProductionPackGolden lints the wemake-django-template at seven points
// of its history (testdata/wemake-history, with the CI scripts and settings
// those rules read) and a template-shaped project with every item done
// right, and compares the findings of the production pack II rules with
// golden/<name>.txt: RULE FILE:LINE ENVIRONMENTS a line, reviewer's notes
// after `#` (kept by -update). done-right must give none.
func TestProductionPackGolden(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "wemake-history")
	dirs, _ := filepath.Glob(filepath.Join(root, "*"))
	n := 0
	for _, dir := range dirs {
		name := filepath.Base(dir)
		if info, err := os.Stat(dir); err != nil || !info.IsDir() || name == "golden" {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, l := range lintProjection(t, dir) {
				rule, _, _ := strings.Cut(l, " ")
				for _, r := range productionPackII {
					if rule == r {
						got = append(got, strings.TrimSpace(l))
					}
				}
			}
			if name == "done-right" && len(got) > 0 {
				t.Errorf("the template with every item done right gives findings:\n%s", strings.Join(got, "\n"))
			}
			golden := filepath.Join(root, "golden", name+".txt")
			old, err := os.ReadFile(golden)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(withNotes(got, string(old))), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(stripNotes(string(old)), got, cmpEmpty); diff != "" {
				t.Errorf("findings differ from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
	if n != 8 {
		t.Errorf("found %d projects in %s, want 8 (seven commits and done-right)", n, root)
	}
}

// cmpEmpty makes a nil and an empty list of lines equal.
var cmpEmpty = cmp.Comparer(func(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
})
