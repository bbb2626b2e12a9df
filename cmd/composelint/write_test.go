package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/composelint/composelint/pkg/fix"
)

// TestFixNeverWritesOutsideTheProject: a file reached by `include:
// ../other.yml` belongs to another project; its findings keep their fix as
// a suggestion, and it is not written.
func TestFixNeverWritesOutsideTheProject(t *testing.T) {
	root := t.TempDir()
	other := "services:\n  cache:\n    image: redis:7\nvolumes:\n  shared:\n"
	write(t, filepath.Join(root, "other.yml"), other)
	dir := filepath.Join(root, "app")
	os.Mkdir(dir, 0o755)
	write(t, filepath.Join(dir, "compose.yaml"), "include:\n  - ../other.yml\nservices:\n  web:\n    image: nginx:1.27\n")
	code, doc := runJSON(t, "--fix", dir)
	if got, _ := os.ReadFile(filepath.Join(root, "other.yml")); string(got) != other {
		t.Fatalf("--fix wrote ../other.yml:\n%s", got)
	}
	found := false
	for _, d := range doc.Diagnostics {
		if d.Rule == "unused-volume" && len(d.Fixes) > 0 {
			found = true
		}
	}
	if code != 0 || !found {
		t.Errorf("exit %d, diagnostics %+v; want unused-volume reported with its fix as a suggestion", code, doc.Diagnostics)
	}
}

// TestFixRefusesReadOnlyFile: chmod 444 is refused, naming the file, with
// a non-zero exit; the file is not replaced.
func TestFixRefusesReadOnlyFile(t *testing.T) {
	dir := tempProject(t, map[string]string{"compose.yaml": versioned})
	file := filepath.Join(dir, "compose.yaml")
	os.Chmod(file, 0o444)
	code, _, stderr := runCLI(t, "--fix", dir)
	if code != 2 || !strings.Contains(stderr, "compose.yaml") || !strings.Contains(stderr, "read-only") || !strings.Contains(stderr, "nothing was changed") {
		t.Errorf("exit %d, stderr %q; want exit 2 naming the read-only file", code, stderr)
	}
	if got, _ := os.ReadFile(file); string(got) != versioned {
		t.Errorf("the read-only file was replaced:\n%s", got)
	}
}

// TestFixWritesThroughSymlink: a compose file that is a symlink stays one.
func TestFixWritesThroughSymlink(t *testing.T) {
	dir := tempProject(t, map[string]string{"shared/base.yaml": versioned})
	link := filepath.Join(dir, "compose.yaml")
	if err := os.Symlink(filepath.Join("shared", "base.yaml"), link); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := runCLI(t, "--fix", dir); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a regular file")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "shared", "base.yaml")); strings.Contains(string(got), "version") {
		t.Errorf("the target was not fixed:\n%s", got)
	}
}

// TestFixTakesTheProjectLock: while another fixer holds the project's lock,
// --fix neither reads nor writes; it goes on when the lock is released, and
// two fixers at once move the database once.
func TestFixTakesTheProjectLock(t *testing.T) {
	dir := tempProject(t, map[string]string{"compose.yaml": versioned})
	unlock, err := fix.LockProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan int, 1)
	go func() {
		code, _, _ := runGuarded(t, "--fix", dir)
		done <- code
	}()
	time.Sleep(300 * time.Millisecond)
	if got, _ := os.ReadFile(filepath.Join(dir, "compose.yaml")); string(got) != versioned {
		t.Fatal("--fix wrote while another fixer held the lock")
	}
	unlock()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after the lock was released", code)
	}

	base := "services:\n  db:\n    image: postgres:16\n  web:\n    image: nginx:1.27\n    depends_on:\n      - db\n"
	dir = tempProject(t, map[string]string{"docker-compose.yml": base, "docker-compose.override.yml": "services:\n  web:\n    ports: [\"8000:8000\"]\n", "docker/docker-compose.prod.yml": "services:\n  web:\n    restart: always\n"})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runGuarded(t, "--fix", "--unsafe-fixes", dir)
		}()
	}
	wg.Wait()
	over, _ := os.ReadFile(filepath.Join(dir, "docker-compose.override.yml"))
	moved, _ := os.ReadFile(filepath.Join(dir, "docker-compose.yml"))
	if n := strings.Count(string(over), "postgres:16"); n != 1 || strings.Contains(string(moved), "postgres") {
		t.Errorf("the override holds the database %d times:\n%s", n, over)
	}
}
