package main

import (
	"reflect"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/rules"
)

// PATHs of one project make one unit: the project loads once.
func TestPathsOfOneProjectAreOneUnit(t *testing.T) {
	eng := &lint.Engine{Rules: rules.All()}
	r := &lintRun{eng: eng, opts: project.Options{Rule: eng.Rule}}
	base := "../../testdata/example/docker-compose.yml"
	override := "../../testdata/example/docker-compose.override.yml"
	other := "../../testdata/cli/syntax-error.yml"
	got := r.byProject([][]string{{base}, {other}, {override}, {"../../testdata/example"}, {"no/such/path"}})
	want := [][]string{{base, override, "../../testdata/example"}, {other}, {"no/such/path"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("units = %q, want %q", got, want)
	}
}

// Linting several projects at once gives what linting each alone gives,
// in one order whatever the order of the PATHs.
func TestParallelLintIsDeterministic(t *testing.T) {
	base := "../../testdata/example/docker-compose.yml"
	override := "../../testdata/example/docker-compose.override.yml"
	other := "../../testdata/cli/three-schema-errors.yml"
	_, together := runJSON(t, override, other, base)
	_, reversed := runJSON(t, base, other, override)
	if !reflect.DeepEqual(together, reversed) {
		t.Errorf("the order of the PATHs changed the report:\n%v\n%v", together, reversed)
	}
	var alone []any
	for _, p := range []string{base, override, other} {
		_, doc := runJSON(t, p)
		for _, d := range doc.Diagnostics {
			alone = append(alone, d)
		}
	}
	if len(alone) != len(together.Diagnostics) || len(alone) == 0 {
		t.Errorf("%d findings linting each PATH alone, %d together", len(alone), len(together.Diagnostics))
	}
}
