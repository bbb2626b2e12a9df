package lint

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
)

const text = `services:  # composelint-disable-line a
  web:
    # composelint-disable-next-line b, c
    image: x
    ports: []  # composelint-disable-line
    cmd: y  # composelint-disable-line nope
`

func diag(f *source.File, rule string, line int) Diagnostic {
	return Diagnostic{Rule: rule, File: f, Range: source.Range{Start: source.Pos{Line: line, Col: 1}, End: source.Pos{Line: line, Col: 2}}}
}

func TestSuppressions(t *testing.T) {
	f := source.New("x.yml", []byte(text))
	known := func(id string) bool { return id != "nope" }
	s := parseSuppressions(f, known)
	for _, tc := range []struct {
		rule string
		line int
		want bool
	}{
		{"a", 1, true}, {"b", 1, false},
		{"b", 4, true}, {"c", 4, true}, {"a", 4, false},
		{"anything", 5, true}, // a bare directive disables every rule
		{"a", 6, false},
	} {
		if got := s.suppressed(diag(f, tc.rule, tc.line)); got != tc.want {
			t.Errorf("%s at line %d suppressed = %v, want %v", tc.rule, tc.line, got, tc.want)
		}
	}
	if len(s.bad) != 1 || s.bad[0].Range.Start.Line != 6 || s.bad[0].Rule != InvalidDirective {
		t.Errorf("bad directives: %+v", s.bad)
	}
	file := parseSuppressions(source.New("y.yml", []byte("a: 1\n# composelint-disable-file b\n")), known)
	if !file.suppressed(diag(f, "b", 1)) || file.suppressed(diag(f, "a", 1)) {
		t.Error("disable-file")
	}
}

func TestEngineMergesEnvironmentsAndKeepsOrder(t *testing.T) {
	f := source.New("/p/compose.yaml", []byte("a: 1\nb: 2\n"))
	dev := &load.Result{Name: "development", Files: []*source.File{f}}
	prod := &load.Result{Name: "production", Files: []*source.File{f}}
	eng := &Engine{Rules: []*Rule{
		{ID: "both", Severity: Warning, Run: func(p *Pass) { p.ReportRange(f, diag(f, "", 2).Range, "m") }},
		{ID: "prod-only", Severity: Info, Environments: []string{"production"},
			Run: func(p *Pass) { p.ReportRange(f, diag(f, "", 1).Range, "m") }},
		{ID: "crash", Severity: Error, Run: func(p *Pass) { panic("boom") }},
		{ID: "off", Severity: Error, Run: func(p *Pass) { p.ReportRange(f, diag(f, "", 1).Range, "m") }},
	}, Config: map[string]RuleConfig{"off": {Off: true}, "both": {Severity: Error}}}
	got := eng.Run(&Project{Environments: []*load.Result{dev, prod}, Files: map[string]*source.File{f.Path: f}})
	type row struct {
		Rule string
		Line int
		Sev  Severity
		Envs []string
	}
	var rows []row
	for _, d := range got {
		rows = append(rows, row{d.Rule, d.Range.Start.Line, d.Severity, d.Environments})
	}
	want := []row{
		{"internal-error", 1, Error, nil},
		{"prod-only", 1, Info, []string{"production"}},
		{"both", 2, Error, []string{"development", "production"}},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestDevelopmentOnlyFindingsWeighLess(t *testing.T) {
	base := source.New("/p/compose.yaml", []byte("a: 1\nb: 2\n"))
	override := source.New("/p/compose.override.yaml", []byte("a: 1\n"))
	dev := &load.Result{Name: "development", Files: []*source.File{base, override}}
	prod := &load.Result{Name: "production", Files: []*source.File{base}}
	at := func(f *source.File, line int) func(p *Pass) {
		return func(p *Pass) {
			if p.Env.Name == "development" || f == base {
				p.ReportRange(f, diag(f, "", line).Range, "m")
			}
		}
	}
	eng := &Engine{Rules: []*Rule{
		{ID: "weighs", Severity: Error, DevelopmentWeighsLess: true, Run: at(override, 1)},
		{ID: "everywhere", Severity: Error, DevelopmentWeighsLess: true, Run: at(base, 2)},
		{ID: "plain", Severity: Warning, Run: at(override, 1)},
	}}
	files := map[string]*source.File{base.Path: base, override.Path: override}
	got := eng.Run(&Project{Environments: []*load.Result{dev, prod}, Files: files})
	sev := map[string]Severity{}
	msg := map[string]string{}
	for _, d := range got {
		sev[d.Rule], msg[d.Rule] = d.Severity, d.Message
	}
	want := map[string]Severity{"weighs": Warning, "everywhere": Error, "plain": Warning}
	if diff := cmp.Diff(want, sev); diff != "" {
		t.Errorf("severities (-want +got):\n%s", diff)
	}
	if msg["weighs"] != "m (only in development, not in production: it weighs less)" || msg["everywhere"] != "m" {
		t.Errorf("messages: %q", msg)
	}
	// Development alone says nothing of production: full severity.
	got = eng.Run(&Project{Environments: []*load.Result{dev}, Files: files})
	for _, d := range got {
		if d.Rule == "weighs" && d.Severity != Error {
			t.Errorf("development alone: %s is %s, want error", d.Rule, d.Severity)
		}
	}
}

func TestStrictRulesRunOnlyWhenAskedFor(t *testing.T) {
	f := source.New("/p/compose.yaml", []byte("a: 1\n"))
	env := &load.Result{Name: "production", Files: []*source.File{f}}
	rule := &Rule{ID: "opinion", Severity: Warning, Strict: true, Run: func(p *Pass) { p.ReportRange(f, diag(f, "", 1).Range, "m") }}
	p := &Project{Environments: []*load.Result{env}, Files: map[string]*source.File{f.Path: f}}
	for _, tc := range []struct {
		name string
		eng  Engine
		want int
	}{
		{"default", Engine{}, 0},
		{"--strict", Engine{Strict: true}, 1},
		{"named in the configuration", Engine{Config: map[string]RuleConfig{"opinion": {Severity: Error}}}, 1},
		{"strict but turned off", Engine{Strict: true, Config: map[string]RuleConfig{"opinion": {Off: true}}}, 0},
	} {
		tc.eng.Rules = []*Rule{rule}
		if got := len(tc.eng.Run(p)); got != tc.want {
			t.Errorf("%s: %d findings, want %d", tc.name, got, tc.want)
		}
	}
}

// Findings at the same place come in the order of compose-go's maps: Sort
// orders them by message too, so that runs print alike.
func TestSortIsTotal(t *testing.T) {
	f := source.New("/p/compose.yaml", []byte("services: {}\n"))
	at := source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 1, Col: 1}}
	ds := []Diagnostic{
		{Rule: "undefined-variable", File: f, Range: at, Message: "variable B is not set"},
		{Rule: "undefined-variable", File: f, Range: at, Message: "variable A is not set"},
	}
	Sort(ds)
	if ds[0].Message != "variable A is not set" {
		t.Errorf("order: %q, %q", ds[0].Message, ds[1].Message)
	}
}
