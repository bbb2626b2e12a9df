package environments

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
)

func TestStarts(t *testing.T) {
	for _, tc := range []struct {
		profiles []string
		active   string // COMPOSE_PROFILES
		want     bool
	}{
		{nil, "", true},
		{[]string{"debug"}, "", false},
		{[]string{"debug"}, "ci, debug", true},
		{[]string{"debug"}, "*", true},
		{[]string{"debug", "tools"}, "tools", true},
		{[]string{"debug"}, " , ", false},
	} {
		proj := &lint.Project{Vars: map[string]string{"COMPOSE_PROFILES": tc.active}}
		svc := types.ServiceConfig{Name: "x", Profiles: tc.profiles}
		if got := Starts(proj, svc); got != tc.want {
			t.Errorf("profiles %q, COMPOSE_PROFILES=%q: Starts = %v, want %v", tc.profiles, tc.active, got, tc.want)
		}
	}
}

func TestHasService(t *testing.T) {
	proj := &types.Project{Services: types.Services{"web": {}}, DisabledServices: types.Services{"debug": {}}}
	for name, want := range map[string]bool{"web": true, "debug": true, "db": false} {
		if got := HasService(proj, name); got != want {
			t.Errorf("HasService(%s) = %v", name, got)
		}
	}
}

func TestDevelopmentFile(t *testing.T) {
	file := func(name string) *source.File { return source.New("/p/"+name, nil) }
	base, override, prod := file("docker-compose.yml"), file("docker-compose.override.yml"), file("docker/docker-compose.prod.yml")
	production := &load.Result{Name: "production", Files: []*source.File{base, prod}}
	development := &load.Result{Name: "development", Files: []*source.File{base, override}}
	pass := &lint.Pass{Project: &lint.Project{Dir: "/p", Environments: []*load.Result{development, production}}, Env: production}
	if f, ok := DevelopmentFile(pass); f != "docker-compose.override.yml" || !ok {
		t.Errorf("DevelopmentFile = %q %v", f, ok)
	}
	dev := &load.Result{Name: "development", Files: []*source.File{base, file("compose/local.yml")}}
	pass.Project.Environments[0] = dev
	if f, ok := DevelopmentFile(pass); f != "compose/local.yml" || !ok {
		t.Errorf("DevelopmentFile with a local file = %q %v", f, ok)
	}
	pass.Project.Environments = []*load.Result{production}
	if f, ok := DevelopmentFile(pass); f != "docker-compose.override.yml" || ok {
		t.Errorf("DevelopmentFile without development = %q %v", f, ok)
	}
}

func TestRunTogether(t *testing.T) {
	for _, tc := range []struct {
		a, b []string
		want bool
	}{
		{nil, []string{"gpu"}, true},
		{[]string{"cpu"}, []string{"gpu"}, false},
		{[]string{"cpu", "dev"}, []string{"gpu", "dev"}, true},
	} {
		if got := RunTogether(tc.a, tc.b); got != tc.want {
			t.Errorf("RunTogether(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
