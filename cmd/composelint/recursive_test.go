package main

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRecursiveFindsProjectsOutsideIgnoredDirs(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) { writeUnder(t, root, rel, content) }
	svc := "services:\n  web:\n    image: nginx:1.27\n"
	write(".gitignore", "build/\n*.tmp.yml\n")
	write("compose.yaml", svc)
	write("apps/api/docker-compose.yml", svc)
	write("apps/.gitignore", "/old\n")
	write("apps/old/compose.yaml", svc)
	write("apps/web/compose.yml", svc)
	write("build/compose.yaml", svc)
	write("node_modules/pkg/compose.yaml", svc)
	write("vendor/x/compose.yaml", svc)
	write(".git/compose.yaml", svc)
	write("docs/notes.md", "no compose here\n")
	got, _, err := projectDirs(root)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i], _ = filepath.Rel(root, got[i])
	}
	want := []string{".", filepath.Join("apps", "api"), filepath.Join("apps", "web")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("projects %q, want %q", got, want)
	}

	if code, _ := runJSON(t, "-r", root); code == exitFailure {
		t.Errorf("-r %s: exit %d", root, code)
	}
	code, _, stderr := runCLI(t, "--recursive", filepath.Join(root, "docs"))
	if code != exitFailure || !strings.Contains(stderr, "no compose project below") {
		t.Errorf("a directory without projects: exit %d, %q", code, stderr)
	}
}

// TestNoProjectNamesTheProjectsBelow: a first run at the root of a
// repository whose compose files live deeper (docs/install/docker/…,
// {{cookiecutter.project_slug}}/) says where they are and how to lint them.
func TestNoProjectNamesTheProjectsBelow(t *testing.T) {
	root := t.TempDir()
	svc := "services:\n  web:\n    image: nginx:1.27\n"
	for _, rel := range []string{"docs/install/plain/docker-compose.yml", "docs/install/traefik/compose.yaml", "a/compose.yml", "b/compose.yml", "c/compose.yml", "d/compose.yml"} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(svc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := runCLI(t, root)
	for _, want := range []string{"no Compose file here", "6 compose projects below it: a, b, c, d, docs/install/plain (and 1 more)", "composelint -r " + root} {
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, stderr %q: want %q", code, stderr, want)
		}
	}
	one := t.TempDir()
	if err := os.MkdirAll(filepath.Join(one, "playwright"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(one, "playwright", "docker-compose.yml"), []byte(svc), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "a compose project below it: `composelint " + filepath.Join(one, "playwright") + "` lints it"
	if code, _, stderr := runCLI(t, one); code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("one project below: exit %d, stderr %q, want %q", code, stderr, want)
	}
	empty := t.TempDir()
	if code, _, stderr := runCLI(t, empty); code != 2 || strings.Contains(stderr, "below it") {
		t.Errorf("with nothing below: exit %d, stderr %q", code, stderr)
	}
}

func TestProjectDirsWithinStopsAtItsLimit(t *testing.T) {
	root := t.TempDir()
	for _, rel := range []string{"a/b/c", "d"} {
		if err := os.MkdirAll(filepath.Join(root, rel), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := projectDirsWithin(root, 4); !errors.Is(err, errWalkLimit) {
		t.Errorf("5 directories, limit 4: err %v, want errWalkLimit", err)
	}
	if _, _, err := projectDirsWithin(root, 5); err != nil {
		t.Errorf("5 directories, limit 5: %v", err)
	}
}

// TestRecursivePassesOverFragments: a test harness's compose files that
// overlay a base elsewhere (authelia's internal/suites/*/compose.yml: a
// service with volumes only, networks the base declares) are no projects:
// -r names them instead of reporting each as a project Compose refuses.
func TestRecursivePassesOverFragments(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) { writeUnder(t, root, rel, content) }
	write("examples/compose.yml", "services:\n  web:\n    image: nginx:1.27\n  secrets:\n    provider:\n      type: example-provider\n")
	write("suites/compose.yml", "networks:\n  suitenet: {}\n")
	write("suites/LDAP/compose.yml", "services:\n  backend:\n    volumes:\n      - ./LDAP/config.yml:/config.yml\n")
	write("suites/ldap/compose.yml", "services:\n  ldap:\n    image: osixia/openldap:1.5.0\n    networks:\n      - suitenet\n")
	// An override completes its base: a project. A variant aside does not.
	write("app/compose.yml", "services:\n  web:\n    volumes:\n      - ./src:/src\n")
	write("app/compose.override.yml", "services:\n  web:\n    build: .\n")
	write("suites/traefik/compose.yml", "services:\n  traefik:\n    command: --api\n")
	write("suites/traefik/compose.v3.yml", "services:\n  traefik:\n    image: traefik:v3.1\n")
	got, fragments, err := projectDirs(root)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(root, "app"), filepath.Join(root, "examples")}; !reflect.DeepEqual(got, want) {
		t.Errorf("projects %q, want %q", got, want)
	}
	var whys []string
	for _, f := range fragments {
		rel, _ := filepath.Rel(root, f.path)
		whys = append(whys, filepath.ToSlash(rel)+": "+f.why)
	}
	want := []string{
		"suites/compose.yml: it defines no services",
		"suites/LDAP/compose.yml: service backend needs an image or a build from another file",
		"suites/ldap/compose.yml: service ldap needs network suitenet from another file",
		"suites/traefik/compose.yml: service traefik needs an image or a build from another file",
	}
	if !reflect.DeepEqual(whys, want) {
		t.Errorf("fragments %q, want %q", whys, want)
	}
	code, _, stderr := runCLI(t, "-r", root)
	if code == exitFailure || !strings.Contains(stderr, "not linted, as they do not run on their own") {
		t.Errorf("-r: exit %d, %q", code, stderr)
	}
	code, stdout, _ := runCLI(t, "-r", filepath.Join(root, "suites", "LDAP"))
	if code != exitFindings || !strings.Contains(stdout, "neither an image nor a build") {
		t.Errorf("-r suites/LDAP, the fragment named: exit %d, %q, want it linted", code, stdout)
	}
}

// writeUnder writes a file at rel below root, making its directories.
func writeUnder(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRecursiveFindsWhatDiscoveryFinds: a project whose only compose file is
// a development file in docker/ (nginx-proxy-manager) is one project for
// -r, as for `composelint DIR`, and docker/ is no second one.
func TestRecursiveFindsWhatDiscoveryFinds(t *testing.T) {
	root := t.TempDir()
	writeUnder(t, root, "npm/docker/docker-compose.dev.yml", "services:\n  app:\n    image: nginx:1.27\n")
	writeUnder(t, root, "npm/docker/docker-compose.ci.yml", "services:\n  app:\n    image: nginx:1.27\n")
	writeUnder(t, root, "web/docker/docker-compose.yml", "services:\n  app:\n    image: nginx:1.27\n")
	writeUnder(t, root, "tests/docker-compose.test.yml", "services:\n  app:\n    image: nginx:1.27\n")
	got, _, err := projectDirs(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(root, "npm"), filepath.Join(root, "web", "docker")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("projects %q, want %q", got, want)
	}
	if code, _, stderr := runCLI(t, "-r", filepath.Join(root, "npm")); code == exitFailure {
		t.Errorf("-r npm: exit %d, %q", code, stderr)
	}
}
