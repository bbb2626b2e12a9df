package lint

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
)

// passOver loads text as the only file of an environment and returns a pass
// over it whose reports land in *got.
func passOver(t *testing.T, text string, got *[]Diagnostic) *Pass {
	t.Helper()
	f := source.ParseYAML("/p/compose.yaml", []byte(text))
	env := load.Load(load.Input{Name: "production", WorkingDir: "/p", Files: []*source.File{f}})
	return &Pass{Rule: &Rule{ID: "x"}, Project: &Project{Dir: "/p"}, Env: env, report: func(d Diagnostic) { *got = append(*got, d) }}
}

func TestReportPath(t *testing.T) {
	var got []Diagnostic
	p := passOver(t, "services:\n  web:\n    image: nginx\n    ports:\n      - 8080:80\n", &got)
	if !p.ReportPath(index.Path{"services", "web", "image"}, "image") {
		t.Fatal("nothing reported at services.web.image")
	}
	// never written: at the nearest written ancestor
	p.ReportPath(index.Path{"services", "web", "restart"}, "restart")
	if len(got) != 2 || got[0].Range.Start != (source.Pos{Line: 3, Col: 5}) || got[0].Range.End != (source.Pos{Line: 3, Col: 17}) ||
		got[1].Range.Start.Line != 2 || got[1].Environments[0] != "production" {
		t.Errorf("reports = %+v", got)
	}
}

func TestServicesInNameOrder(t *testing.T) {
	var got []Diagnostic
	p := passOver(t, "services:\n  web:\n    image: a\n  db:\n    image: b\n  api:\n    image: c\n", &got)
	var names []string
	for _, s := range p.Services() {
		names = append(names, s.Name)
	}
	if len(names) != 3 || names[0] != "api" || names[1] != "db" || names[2] != "web" {
		t.Errorf("Services = %q", names)
	}
	// A model that loads only with placeholders for deploy-time variables is
	// what the files write, not what runs.
	p.Env = &load.Result{Placeholder: &types.Project{Services: types.Services{"web": {Name: "web"}}}}
	if len(p.Services()) != 0 || len(p.WrittenServices()) != 1 || p.WrittenModel() != p.Env.Placeholder {
		t.Errorf("with a placeholder model: Services %d, WrittenServices %d", len(p.Services()), len(p.WrittenServices()))
	}
}
