package move

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
)

// wemakeProject loads the wemake layout of the rule's fix case: development
// (base, override) and production (base, docker/docker-compose.prod.yml).
// With twoLoads the environments hold two parses of the base file, as when
// one of them comes from the cache of an earlier lint (the language server).
func wemakeProject(t *testing.T, twoLoads bool) (*lint.Project, *load.Result) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "rules", "database-in-production", "fix-wemake"))
	if err != nil {
		t.Fatal(err)
	}
	parse := func(rel string) *source.File {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return source.ParseYAML(filepath.Join(dir, rel), data)
	}
	base, over, prodFile := parse("docker-compose.yml"), parse("docker-compose.override.yml"), parse("docker/docker-compose.prod.yml")
	prodBase := base
	if twoLoads {
		prodBase = parse("docker-compose.yml")
	}
	dev := load.Load(load.Input{Name: "development", WorkingDir: dir, Files: []*source.File{base, over}})
	prod := load.Load(load.Input{Name: "production", WorkingDir: dir, Files: []*source.File{prodBase, prodFile}})
	proj := &lint.Project{Dir: dir, Environments: []*load.Result{dev, prod},
		Files: map[string]*source.File{base.Path: base, over.Path: over, prodFile.Path: prodFile}}
	return proj, prod
}

func usedByServices(p *types.Project) (volumes, networks map[string]bool) {
	volumes, networks = map[string]bool{}, map[string]bool{}
	for _, s := range p.Services {
		for _, v := range s.Volumes {
			volumes[v.Source] = true
		}
		for n := range s.Networks {
			networks[n] = true
		}
	}
	return volumes, networks
}

// editsOf shows a fix's edits by file, offsets and text.
func editsOf(f lint.Fix) []string {
	var out []string
	for _, e := range f.Edits {
		out = append(out, fmt.Sprintf("%s [%d,%d) %q", filepath.Base(e.File.Path), e.Start, e.End, e.NewText))
	}
	return out
}

// TestDatabaseMoveSeesOneFileInTwoLoads: the move is the same whether the
// environments share one parse of the base file or hold two.
func TestDatabaseMoveSeesOneFileInTwoLoads(t *testing.T) {
	proj, prod := wemakeProject(t, false)
	want, ok := Database(proj, prod, prod.Project.Services["db"], usedByServices)
	if !ok {
		t.Fatal("no move when the environments share the base file")
	}
	proj, prod = wemakeProject(t, true)
	got, ok := Database(proj, prod, prod.Project.Services["db"], usedByServices)
	if !ok {
		t.Fatal("no move when the environments hold two loads of the base file")
	}
	if diff := cmp.Diff(editsOf(want), editsOf(got)); diff != "" || got.Message != want.Message {
		t.Errorf("message %q, want %q; edits (-shared +two loads):\n%s", got.Message, want.Message, diff)
	}
}
