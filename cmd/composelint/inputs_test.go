package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runGuarded runs the command and fails the test, instead of hanging it,
// when it does not return in time (a FIFO opened for reading blocks).
func runGuarded(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	type result struct {
		code        int
		out, stderr string
	}
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := run(args, strings.NewReader(""), &out, &errb)
		done <- result{code, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.stderr
	case <-time.After(10 * time.Second):
		t.Fatalf("composelint %v did not return: it blocks on its input", args)
		return 0, "", ""
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}

// TestNonRegularInputsAreRefused: a FIFO (or a device) given as -f or as
// the project path, or found where composelint reads a project's file, is
// refused with exit 2 and one line naming it, instead of blocking forever.
func TestNonRegularInputsAreRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "compose.yaml")
	mkfifo(t, fifo)
	for _, args := range [][]string{{"-f", fifo}, {fifo}, {dir}, {"-f", "/dev/zero"}} {
		code, out, stderr := runGuarded(t, args...)
		if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "not a regular file") || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line saying it is not a regular file", args, code, out, stderr)
		}
	}

	for name, files := range map[string]map[string]string{
		".env":    {"compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n"},
		"app.env": {"compose.yaml": "services:\n  web:\n    image: nginx\n    env_file: app.env\n"},
		"inc.yml": {"compose.yaml": "include:\n  - inc.yml\nservices:\n  web:\n    image: nginx\n"},
		// compose-go reads an included project's .env itself.
		"sub/.env": {"compose.yaml": "include:\n  - sub/compose.yaml\n", "sub/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n"},
	} {
		dir := tempProject(t, files)
		mkfifo(t, filepath.Join(dir, name))
		code, out, stderr := runGuarded(t, "--format", "json", dir)
		text := out + stderr
		if code == 0 || !strings.Contains(text, name) || !strings.Contains(text, "not a regular file") {
			t.Errorf("a FIFO as %s: exit %d\nstdout %s\nstderr %s\nwant a failure naming it as not a regular file", name, code, out, stderr)
		}
	}
}

// TestIncludedDotEnvIsRedacted: a value of an included project's .env, which
// compose-go reads itself, is masked in what compose-go says of it.
func TestIncludedDotEnvIsRedacted(t *testing.T) {
	dir := tempProject(t, map[string]string{
		"compose.yaml":     "include:\n  - sub/compose.yaml\n",
		"sub/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"${API_TOKEN}:80\"\n",
		"sub/.env":         "API_TOKEN=tok-hunter2-secret\n",
	})
	code, out, stderr := runGuarded(t, "--format", "json", dir)
	if code == 0 || strings.Contains(out+stderr, "hunter2") || !strings.Contains(out, "API_TOKEN") {
		t.Errorf("exit %d\nstdout %s\nstderr %s\nwant the port error with ${API_TOKEN}, not its value", code, out, stderr)
	}
}

// TestMalformedDotEnv: a .env compose cannot parse stops the run (exit 2)
// with one line naming the file and the line of the mistake, not its content.
func TestMalformedDotEnv(t *testing.T) {
	dir := tempProject(t, map[string]string{
		"compose.yaml": "services:\n  db:\n    image: postgres:${TAG}\n",
		".env":         "TAG=16\nPOSTGRES_PASSWORD=\"s3cr3t-hunter2\nOTHER=1\nMORE=2\n",
	})
	code, out, stderr := runGuarded(t, dir)
	if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, ".env:2:") || strings.Contains(out+stderr, "hunter2") {
		t.Errorf("exit %d, stderr %q; want exit 2 and one line naming .env:2 without the value", code, stderr)
	}
}

// TestLargeValidProjectLoads: a valid project of 5,000 services (~470 KB),
// which docker compose loads, loads here too: no yaml-syntax at 1:1 from a
// node limit below compose-go's own.
func TestLargeValidProjectLoads(t *testing.T) {
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "  svc%d:\n    image: nginx:1.25\n    restart: unless-stopped\n    environment:\n      ID: \"%d\"\n", i, i)
	}
	dir := tempProject(t, map[string]string{"compose.yaml": b.String()})
	_, doc := runJSON(t, dir)
	for _, d := range doc.Diagnostics {
		if d.Rule == "yaml-syntax" || d.Rule == "compose-invalid" || d.Rule == "compose-schema" {
			t.Errorf("%s at %d:%d: %s", d.Rule, d.Line, d.Column, d.Message)
		}
	}
}
