package rules

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the rule definitions")

// TestReference keeps docs/rules.md equal to what the rule definitions say.
func TestReference(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "rules.md")
	got := Reference()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/rules -run TestReference -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/rules.md is stale; run go test ./pkg/rules -run TestReference -update (-file +rules):\n%s", diff)
	}
}

// TestEveryRuleIsDocumented checks the parts every rule's doc must have.
func TestEveryRuleIsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		if seen[r.ID] {
			t.Errorf("duplicate rule ID %s", r.ID)
		}
		seen[r.ID] = true
		if r.ID != strings.ToLower(r.ID) || strings.ContainsAny(r.ID, " _") {
			t.Errorf("%s: IDs are kebab-case", r.ID)
		}
		if r.Summary == "" || r.Doc.What == "" || r.Doc.Why == "" || r.Doc.Example == "" || r.Doc.Instead == "" || r.Severity == 0 {
			t.Errorf("%s: summary, severity and the four parts of the doc (what, why, example, instead) are required", r.ID)
		}
	}
}
