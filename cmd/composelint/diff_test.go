package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffIsAPatch checks --diff --unsafe-fixes against --fix --unsafe-fixes
// with the tools people apply patches with: `git apply` and `patch -p1`,
// run in copies of the project, must give exactly the bytes --fix writes.
// Projects: the wemake snapshots, every rule fixture with golden files,
// and the edges of the patch format (a file without a final line ending,
// CRLF, a created file, the last lines deleted).
func TestDiffIsAPatch(t *testing.T) {
	tools := map[string][]string{"git": {"git", "apply", "--whitespace=nowarn", "-"}, "patch": {"patch", "-p1", "--quiet", "--batch"}}
	for name := range tools {
		if _, err := exec.LookPath(name); err != nil {
			t.Logf("%s is not on PATH: not tried", name)
			delete(tools, name)
		}
	}
	if len(tools) == 0 {
		t.Skip("neither git nor patch is on PATH")
	}
	for name, dir := range diffProjects(t) {
		t.Run(name, func(t *testing.T) {
			fixed := copyProject(t, dir)
			t.Chdir(fixed)
			if code, out, errs := runCLI(t, "--fix", "--unsafe-fixes", "--format", "json", "."); code == 2 {
				t.Fatalf("--fix: exit 2: %s%s", out, errs)
			}
			want := readTree(t, fixed)
			for tool, argv := range tools {
				patched := copyProject(t, dir)
				t.Chdir(patched)
				code, patch, errs := runCLI(t, "--diff", "--unsafe-fixes", ".")
				if code == 2 {
					t.Fatalf("--diff: exit 2: %s", errs)
				}
				if patch != "" {
					cmd := exec.Command(argv[0], argv[1:]...)
					cmd.Dir, cmd.Stdin = patched, strings.NewReader(patch)
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("%s refuses the patch: %v\n%s\npatch:\n%s", tool, err, out, patch)
					}
				}
				got := readTree(t, patched)
				for f, w := range want {
					if g, ok := got[f]; !ok || !bytes.Equal(g, w) {
						t.Errorf("%s: after %s, %s is\n%q\nwant what --fix wrote:\n%q\npatch:\n%s", name, tool, f, g, w, patch)
					}
				}
				for f := range got {
					if _, ok := want[f]; !ok {
						t.Errorf("after %s: %s exists, --fix did not write it", tool, f)
					}
				}
			}
		})
	}
}

// diffProjects returns the projects TestDiffIsAPatch tries, by name.
func diffProjects(t *testing.T) map[string]string {
	out := map[string]string{}
	root, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	snaps, _ := filepath.Glob(filepath.Join(root, "wemake", "20*"))
	for _, d := range snaps {
		out["wemake/"+filepath.Base(d)] = d
	}
	goldens, _ := filepath.Glob(filepath.Join(root, "rules", "*", "*", "*.golden"))
	for _, g := range goldens {
		d := filepath.Dir(g)
		rel, _ := filepath.Rel(filepath.Join(root, "rules"), d)
		out[filepath.ToSlash(rel)] = d
	}
	if len(snaps) != 6 || len(goldens) == 0 {
		t.Fatalf("found %d wemake snapshots and %d golden files", len(snaps), len(goldens))
	}
	edges := map[string]map[string]string{
		"no-final-newline":   {"compose.yaml": "version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27"},
		"crlf":               {"docker-compose.yml": strings.ReplaceAll("version: \"3\"\nservices:\n  web:\n    image: nginx:1.27\n", "\n", "\r\n")},
		"last-lines-deleted": {"compose.yaml": "services:\n  web:\n    image: nginx:1.27\nversion: \"3.8\"\n"},
		"created-override": {
			"docker-compose.yml":             "services:\n  db:\n    image: postgres:17\n  web:\n    image: example/web\n    depends_on:\n      - db\n",
			"docker/docker-compose.prod.yml": "services:\n  web:\n    restart: always\n",
		},
	}
	for name, files := range edges {
		out["edge/"+name] = tempProject(t, files)
	}
	return out
}

// copyProject copies a project (without its golden files) to a new
// temporary directory.
func copyProject(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".golden") {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// readTree returns every file below dir by its relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
