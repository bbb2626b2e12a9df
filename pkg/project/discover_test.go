package project_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composelint/composelint/pkg/config"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/rules"
)

// layouts are the small projects of testdata/discovery, one per way
// projects keep their compose files, with the environments a person
// reading them would pick, and what discovery must say about its guess
// (a note whose message contains the text, empty for none).
var layouts = []struct {
	dir  string
	want []config.Environment
	note string
}{
	{"base-override", envList("development", "docker-compose.yml", "docker-compose.override.yml", "production", "docker-compose.yml"),
		"docker-compose.yml is taken as production (without docker-compose.override.yml"},
	{"dev-only", envList("development", "local.yml"), "no production environment found"},
	{"base-alone", envList("production", "compose.yaml"), "compose.yaml is taken as production"},
	{"base-mounts-source", envList("development", "compose.yaml"), "compose.yaml reads as development (it mounts the project's source into `web`"},
	{"base-dev-settings", envList("development", "docker-compose.yml"), "`app` sets DJANGO_SETTINGS_MODULE=app.settings.dev"},
	{"base-debug-off", envList("production", "compose.yaml"), "taken as production"},
	{"source-mount-in-profile", envList("production", "compose.yaml"), "taken as production"},
	{"docker-dir-mounts-source", envList("development", "docker/docker-compose.yml"), "docker/docker-compose.yml reads as development"},
	{"wemake", envList("development", "docker-compose.yml", "docker-compose.override.yml",
		"production", "docker-compose.yml", "docker/docker-compose.prod.yml"), ""},
	{"prod-overlay", envList("development", "docker-compose.yml", "production", "docker-compose.yml", "docker-compose.prod.yml"), ""},
	{"prod-overlay-dash", envList("development", "docker-compose.yml", "production", "docker-compose.yml", "docker-compose-prod.yml"), ""},
	{"production-overlay-yaml", envList("development", "compose.yaml", "compose.override.yaml",
		"production", "compose.yaml", "compose.production.yaml"), ""},
	{"deploy-overlay", envList("development", "compose.yml", "compose.override.yml", "production", "compose.yml", "compose.deploy.yml"), ""},
	{"prod-standalone", envList("development", "docker-compose.yml", "production", "production.yml"), "production.yml is linted on its own"},
	{"prod-complete-declares-nothing", envList("development", "docker-compose.yml",
		"production", "docker-compose.yml", "docker-compose.prod.yml"), "docker-compose.prod.yml is read as an overlay"},
	{"prod-unparsable", envList("development", "docker-compose.yml", "production", "docker-compose.yml", "docker-compose.prod.yml"), ""},
	{"cookiecutter", envList("development", "local.yml", "production", "production.yml"), ""},
	{"cookiecutter-compose-names", envList("development", "docker-compose.local.yml", "production", "docker-compose.production.yml"), ""},
	{"dev-overlay", envList("development", "docker-compose.yml", "docker-compose.dev.yml", "production", "docker-compose.yml"), "taken as production"},
	{"dev-complete-declares-nothing", envList("development", "docker-compose.yml", "docker-compose.dev.yml", "production", "docker-compose.yml"),
		"docker-compose.dev.yml is read as an overlay of docker-compose.yml"},
	{"dir-named/development", envList("development", "compose.yml"), "compose.yml reads as development (it is in a directory named development)"},
	{"dir-named/testing", envList("development", "compose.yml"), "compose.yml reads as development (it is in a directory named testing)"},
	{"dir-named/production", envList("production", "compose.yml"), "taken as production"},
	{"dev-run-alone", envList("development", "docker/docker-compose.dev.yml", "production", "docker/docker-compose.yml"), "taken as production"},
	{"dev-standalone-dash", envList("development", "docker-compose-dev.yml", "production", "docker-compose.yml"), "taken as production"},
	{"local-overlay", envList("development", "compose.yaml", "compose.local.yaml", "production", "compose.yaml"), "taken as production"},
	{"docker-dir", envList("production", "docker/docker-compose.yml"), "taken as production"},
	{"deploy-dir", envList("development", "docker-compose.yml", "docker-compose.override.yml",
		"production", "docker-compose.yml", "deploy/docker-compose.prod.yml"), ""},
	{"deployment-dir", envList("development", "deployment/docker-compose.yml",
		"production", "deployment/docker-compose.yml", "deployment/docker-compose.prod.yml"), ""},
	{"compose-dir", envList("development", "compose/compose.yaml", "compose/compose.override.yaml", "production", "compose/compose.yaml"),
		"taken as production"},
	{"dot-docker-dir", envList("production", ".docker/docker-compose.yml"), "taken as production"},
	{"excluded", envList("production", "docker-compose.yml"), "taken as production"},
	{"only-excluded", envList("example", "docker-compose.example.yml"), "no production environment found"},
	{"variant-name", envList("fetchmail-compose", "fetchmail-compose.yaml"), "no production environment found"},
	{"loose-files", envList("quickstart", "quickstart.yml"), "no production environment found"},
	{"not-compose", envList("production", "docker-compose.yml"), "taken as production"},
	{"override-dev", envList("development", "docker-compose.yml", "docker-compose.override.dev.yml", "production", "docker-compose.yml"),
		"docker-compose.yml is taken as production"},
	{"named-base", envList("development", "docker-compose.base.yaml", "docker-compose.dev.yaml",
		"production", "docker-compose.base.yaml", "docker-compose.prod.yaml"), ""},
	{"named-base-extended", envList("development", "docker-compose.dev.yml"), "no production environment found"},
	{"template-placeholders", envList("development", "docker-compose.yml"), "docker-compose.yml reads as development"},
	{"two-production-files", envList("development", "docker-compose.yml",
		"production", "docker-compose.yml", "docker-compose.prod.yml"), "not docker/docker-compose.prod.yml"},
}

// envList reads "name", file, file, "name", file… (names have no dot).
func envList(words ...string) []config.Environment {
	var out []config.Environment
	for _, w := range words {
		if !strings.Contains(w, ".") {
			out = append(out, config.Environment{Name: w})
			continue
		}
		out[len(out)-1].Files = append(out[len(out)-1].Files, w)
	}
	return out
}

func resolveDir(t *testing.T, dir string) *project.Target {
	t.Helper()
	targets, err := project.Resolve([]string{dir}, project.Options{Rule: (&lint.Engine{Rules: rules.All()}).Rule})
	if err != nil {
		t.Fatal(err)
	}
	return targets[0]
}

// relEnvs writes a target's environments with files relative to dir.
func relEnvs(dir string, envs []config.Environment) []config.Environment {
	var out []config.Environment
	for _, e := range envs {
		r := config.Environment{Name: e.Name}
		for _, f := range e.Files {
			rel, _ := filepath.Rel(dir, f)
			r.Files = append(r.Files, filepath.ToSlash(rel))
		}
		out = append(out, r)
	}
	return out
}

func TestDiscoveryLayouts(t *testing.T) {
	for _, tc := range layouts {
		t.Run(tc.dir, func(t *testing.T) {
			dir, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "discovery", tc.dir))
			tg := resolveDir(t, dir)
			if diff := cmp.Diff(tc.want, relEnvs(dir, tg.Envs)); diff != "" {
				t.Errorf("environments (-want +got):\n%s", diff)
			}
			var msgs []string
			for _, n := range tg.Notes {
				msgs = append(msgs, n.Msg)
			}
			if got := strings.Join(msgs, "\n"); (tc.note == "") != (got == "") || !strings.Contains(got, tc.note) {
				t.Errorf("notes %q, want one containing %q", got, tc.note)
			}
			if _, err := tg.Load(); err != nil {
				t.Errorf("load: %v", err)
			}
		})
	}
}

// The configuration line of every note is valid configuration, and
// describes environments that exist.
func TestDiscoveryNotesSettleTheGuess(t *testing.T) {
	for _, tc := range layouts {
		dir, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "discovery", tc.dir))
		for _, n := range resolveDir(t, dir).Notes {
			if n.Config != filepath.Join(dir, config.FileName) {
				t.Errorf("%s: note for %s, want the project's %s", tc.dir, n.Config, config.FileName)
			}
			c, err := config.Parse(n.Config, []byte(n.Line+"\n"), nil)
			if err != nil {
				t.Errorf("%s: %q: %v", tc.dir, n.Line, err)
				continue
			}
			if len(c.Environments) == 0 || cmp.Equal(c.Environments, tc.want) {
				t.Errorf("%s: %q settles nothing", tc.dir, n.Line)
			}
			for _, e := range c.Environments {
				for _, f := range e.Files {
					if !fileExists(filepath.Join(dir, f)) {
						t.Errorf("%s: %q names %s, which does not exist", tc.dir, n.Line, f)
					}
				}
			}
		}
	}
}

func TestDiscoveryNoComposeFile(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "discovery", "empty")
	_, err := project.Resolve([]string{dir}, project.Options{})
	var np *project.NoProjectError
	if !errors.As(err, &np) {
		t.Fatalf("got %v, want a NoProjectError", err)
	}
}

// docker compose reads .env beside the first file, and resolves paths
// against its directory.
func TestDiscoveryDotEnvBesideTheBaseFile(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "discovery", "docker-dir"))
	tg := resolveDir(t, dir)
	if tg.DotEnv() != filepath.Join(dir, "docker", ".env") || tg.Vars["TAG"] != "1" {
		t.Errorf("dotenv %s, vars %v: want docker/.env read", tg.DotEnv(), tg.Vars)
	}
}

// A file of a project is linted with the project it belongs to, also when
// it lives in docker/ or has a name of its role only.
func TestRootOfAFile(t *testing.T) {
	base, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "discovery"))
	for file, want := range map[string]string{
		"wemake/docker/docker-compose.prod.yml": "wemake",
		"docker-dir/docker/docker-compose.yml":  "docker-dir",
		"cookiecutter/production.yml":           "cookiecutter",
		"excluded/docker/docker-compose.ci.yml": "excluded",
		// a devcontainer's compose file is a project of its own
		"excluded/.devcontainer/docker-compose.yml": "excluded/.devcontainer",
	} {
		got, ok := project.Root(filepath.Join(base, file), nil)
		if !ok || got != filepath.Join(base, want) {
			t.Errorf("Root(%s) = %s, %v; want %s", file, got, ok, want)
		}
	}
}

func TestIsComposeName(t *testing.T) {
	for name, want := range map[string]bool{
		"docker-compose.yml": true, "compose.yaml": true, "docker-compose.prod.yml": true, "compose.staging.yaml": true,
		"docker-compose-dev.yml": true, "local.yml": true, "production.yml": true, "docker-compose.ci.yml": true,
		"mkdocs.yml": false, ".pre-commit-config.yaml": false, "Caddyfile": false, "docker-compose.json": false,
		"staging.yml": false, "podman-compose.yml": true, "fetchmail-compose.yaml": true,
		"docker-compose.base.yml": true, "compose.common.yaml": true, "docker-compose.override.dev.yml": true, "base.yml": false,
	} {
		if got := project.IsComposeName("/p/" + name); got != want {
			t.Errorf("IsComposeName(%s) = %v, want %v", name, got, want)
		}
	}
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}
