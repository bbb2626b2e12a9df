package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/composelint/composelint/pkg/fix"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/rules"
)

// The fix of development-only-in-production moves entries out of the files
// production loads and into the development override: development must run
// exactly what it ran before. The fix engine only checks that models change
// under the paths a fix declares, which for a move are the same paths in
// both environments; this test loads each case of the rule that has golden
// files before and after `--fix --unsafe-fixes` and compares the whole
// development model with go-cmp. Mounts and published ports are compared
// as sets (by target, by published port): a moved entry now comes after
// the base file's ones, and neither Compose nor Docker gives their order a
// meaning (Docker sorts mounts by target before mounting them).
func TestDevelopmentOnlyFixKeepsDevelopment(t *testing.T) {
	// This rule's fixes alone: others (binding a port to 127.0.0.1) change development by design.
	eng := &lint.Engine{Rules: []*lint.Rule{rules.DevelopmentOnlyInProduction}}
	root := filepath.Join("..", "..", "testdata", "rules", "development-only-in-production")
	cases, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		dir := filepath.Join(root, c.Name())
		if !c.IsDir() || !hasSuffixFile(dir, ".unsafe.golden") {
			continue
		}
		n++
		t.Run(c.Name(), func(t *testing.T) {
			tmp := t.TempDir()
			copyTree(t, dir, tmp)
			before, _, err := linter(eng, tmp)(nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := fix.Run(linter(eng, tmp), fix.Options{Unsafe: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Write(); err != nil {
				t.Fatal(err)
			}
			after, _, err := linter(eng, tmp)(nil)
			if err != nil {
				t.Fatal(err)
			}
			opts := cmp.Options{
				cmpopts.EquateEmpty(),
				cmpopts.SortSlices(func(a, b types.ServiceVolumeConfig) bool { return a.Target < b.Target }),
				cmpopts.SortSlices(func(a, b types.ServicePortConfig) bool { return portKey(a) < portKey(b) }),
				// The files loaded: development loads the override the fix created.
				// The top-level `x-` blocks: an entry moved out of one (it was
				// there only for its anchor) runs nowhere by itself.
				cmpopts.IgnoreFields(types.Project{}, "ComposeFiles", "Extensions"),
				// Unexported caches of compose-go's types (a config's content).
				cmp.Exporter(func(reflect.Type) bool { return true }),
			}
			for _, eb := range before.Environments {
				for _, ea := range after.Environments {
					if ea.Name != eb.Name || eb.Name != "development" {
						continue
					}
					if eb.Project == nil || ea.Project == nil {
						t.Fatalf("development did not load (before: %v, after: %v)", eb.Project != nil, ea.Project != nil)
					}
					if diff := cmp.Diff(eb.Project, ea.Project, opts...); diff != "" {
						t.Errorf("the development model changed (-before +after):\n%s", diff)
					}
				}
			}
			// Production no longer runs what was moved.
			for _, d := range res.Diagnostics {
				if d.Rule == "development-only-in-production" && len(d.Fixes) > 0 {
					t.Errorf("after the fixes, still fixable: %s:%d: %s", d.File.Path, d.Range.Start.Line, d.Message)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no case with golden files")
	}
}

func portKey(p types.ServicePortConfig) string {
	return fmt.Sprintf("%s|%s|%d|%s", p.HostIP, p.Published, p.Target, p.Protocol)
}
