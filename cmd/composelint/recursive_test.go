package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRecursiveFindsProjectsOutsideIgnoredDirs(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
	got, err := projectDirs(root)
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
