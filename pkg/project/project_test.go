package project_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/rules"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// envs resolves paths and returns each environment as name -> files relative to dir.
func envs(t *testing.T, dir string, paths []string, opts project.Options) map[string][]string {
	t.Helper()
	opts.Rule = (&lint.Engine{Rules: rules.All()}).Rule
	targets, err := project.Resolve(paths, opts)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, tg := range targets {
		for _, e := range tg.Envs {
			for _, f := range e.Files {
				rel, _ := filepath.Rel(dir, f)
				out[e.Name] = append(out[e.Name], filepath.ToSlash(rel))
			}
		}
	}
	return out
}

const svc = "services:\n  web:\n    image: nginx\n"

func TestBaseAloneAndComposeYAMLFirst(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"compose.yaml": svc, "docker-compose.yml": svc, "compose.override.yaml": svc})
	got := envs(t, dir, []string{dir}, project.Options{})
	want := map[string][]string{"development": {"compose.yaml", "compose.override.yaml"}, "production": {"compose.yaml"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("environments (-want +got):\n%s", diff)
	}
}

func TestConfiguredEnvironments(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"docker-compose.yml": svc, "deploy/live.yml": svc, "docker-compose.override.yml": svc,
		".composelint.yaml": "environments:\n  live: [docker-compose.yml, deploy/live.yml]\n",
	})
	got := envs(t, dir, []string{dir}, project.Options{})
	if diff := cmp.Diff(map[string][]string{"live": {"docker-compose.yml", "deploy/live.yml"}}, got); diff != "" {
		t.Errorf("environments (-want +got):\n%s", diff)
	}
}

func TestComposeFileVariable(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"docker-compose.yml": svc, "extra.yml": svc, ".env": "COMPOSE_FILE=docker-compose.yml:extra.yml\n",
	})
	got := envs(t, dir, []string{dir}, project.Options{})
	if diff := cmp.Diff(map[string][]string{"development": {"docker-compose.yml", "extra.yml"}}, got); diff != "" {
		t.Errorf("environments (-want +got):\n%s", diff)
	}
}

func TestFileArgumentWalksUpToItsProject(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"docker-compose.yml": svc, "docker/docker-compose.prod.yml": svc})
	opts := project.Options{Rule: (&lint.Engine{Rules: rules.All()}).Rule}
	targets, err := project.Resolve([]string{filepath.Join(dir, "docker", "docker-compose.prod.yml")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 1 || targets[0].Dir != dir || len(targets[0].Only) != 1 {
		t.Fatalf("target %+v: want the project in %s, reporting only the named file", targets[0], dir)
	}
}

func TestFlagFilesNameTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.yml": svc, "a.prod.yml": svc})
	got := envs(t, dir, nil, project.Options{Files: []string{filepath.Join(dir, "a.yml"), filepath.Join(dir, "a.prod.yml")}})
	if diff := cmp.Diff(map[string][]string{"production": {"a.yml", "a.prod.yml"}}, got); diff != "" {
		t.Errorf("environments (-want +got):\n%s", diff)
	}
	got = envs(t, dir, nil, project.Options{Files: []string{filepath.Join(dir, "a.yml")}, EnvironmentName: "staging"})
	if diff := cmp.Diff(map[string][]string{"staging": {"a.yml"}}, got); diff != "" {
		t.Errorf("environments (-want +got):\n%s", diff)
	}
}

func TestInterpolationIsHermetic(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"compose.yaml": svc, ".env": "A=from-dotenv\nB=from-dotenv\n"})
	t.Setenv("B", "from-os")
	t.Setenv("C", "from-os")
	opts := project.Options{Rule: (&lint.Engine{Rules: rules.All()}).Rule, Vars: map[string]string{"A": "from-flag"}}
	targets, err := project.Resolve([]string{dir}, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "from-flag", "B": "from-dotenv"}
	if diff := cmp.Diff(want, targets[0].Vars); diff != "" {
		t.Errorf("vars without --os-env (-want +got):\n%s", diff)
	}
	opts.OSEnv = true
	targets, _ = project.Resolve([]string{dir}, opts)
	if targets[0].Vars["B"] != "from-os" || targets[0].Vars["C"] != "from-os" || targets[0].Vars["A"] != "from-flag" {
		t.Errorf("with --os-env: %v", targets[0].Vars)
	}
}
