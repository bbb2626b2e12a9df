package rules

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/fix"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

// TestAllIsSorted keeps the list in all.go in ID order, so that a reader
// finds a rule where they expect it and `composelint rules` lists them so.
func TestAllIsSorted(t *testing.T) {
	all := All()
	if !slices.IsSortedFunc(all, func(a, b *lint.Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("All() is not sorted by ID: keep the list in all.go in order")
	}
}

// TestEveryReportedIDIsARule: every ID that composelint itself reports
// under (the loader's problems, the engine's and the language server's
// meta-rules) is a registered, documented rule, and no Go source outside
// the tests invents a rule ID as a string literal.
func TestEveryReportedIDIsARule(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range All() {
		ids[r.ID] = true
	}
	for _, id := range []string{load.YAMLSyntax, load.ComposeSchema, load.ComposeInvalid, load.EnvFileMissing,
		load.UndefinedVariable, load.ComposeWarning, load.RemoteInclude, lint.InvalidDirective, lint.InternalError,
		lint.InvalidConfig, lint.ProjectNotLinted, fix.FixFailed} {
		if !ids[id] {
			t.Errorf("%s is reported but is no rule in All()", id)
		}
	}
	literal := regexp.MustCompile(`\bRule:\s*"([^"]*)"`)
	for _, dir := range []string{"../../pkg", "../../cmd"} {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
				if !ids[m[1]] {
					t.Errorf("%s reports under %q, which is no rule in All()", path, m[1])
				}
			}
			return nil
		})
	}
}
