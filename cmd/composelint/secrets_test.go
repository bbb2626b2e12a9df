package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/report"
)

// secretProjects interpolate values from .env into fields compose-go
// checks (its errors quote what it was given), and read a malformed
// env_file; no secret may reach any report.
var secretProjects = map[string]map[string]string{
	"port": {
		".env":         "POSTGRES_PASSWORD=s3cr3t-pw-xyz\n",
		"compose.yaml": "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"${POSTGRES_PASSWORD}:5432\"\n",
	},
	"integer": {
		".env":         "RETRIES=hunter2-r\n",
		"compose.yaml": "services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      retries: ${RETRIES}\n",
	},
	"env_file": {
		"compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: app.env\n",
		"app.env":      "A=1\nSECRET=\"s3cr3t-unterminated\nB=2\n",
	},
}

func TestSecretsNeverReported(t *testing.T) {
	for name, files := range secretProjects {
		dir := tempProject(t, files)
		check := func(how string, code int, out, stderr string) {
			t.Helper()
			if strings.Contains(out+stderr, "s3cr3t") || strings.Contains(out+stderr, "hunter2") {
				t.Errorf("%s, %s: a secret reached the report:\n%s%s", name, how, out, stderr)
			}
			if code != 1 {
				t.Errorf("%s, %s: exit %d, want 1 (a finding)\n%s%s", name, how, code, out, stderr)
			}
		}
		for _, format := range report.Formats {
			code, out, stderr := runCLI(t, "--format", format, dir)
			check(format, code, out, stderr)
		}
		code, out, stderr := runCLI(t, "--fix", "--unsafe-fixes", dir)
		check("--fix", code, out, stderr)
		var o, e bytes.Buffer
		code = run([]string{"--stdin-filename", filepath.Join(dir, "compose.yaml"), "-"}, strings.NewReader(files["compose.yaml"]), &o, &e)
		check("stdin", code, o.String(), e.String())
	}
}

// TestSecretErrorsNameTheVariable: compose-go's error about an
// interpolated value names the variable and its file instead, at the line
// that interpolates it.
func TestSecretErrorsNameTheVariable(t *testing.T) {
	for name, want := range map[string]string{
		"port":     "compose.yaml:5:9: error: Invalid hostPort: ${POSTGRES_PASSWORD} (from .env)",
		"integer":  "${RETRIES} (from .env) is not an integer",
		"env_file": "app.env:2: unterminated quoted value",
	} {
		dir := tempProject(t, secretProjects[name])
		_, out, _ := runCLI(t, "--no-color", dir)
		if !strings.Contains(out, want) {
			t.Errorf("%s: output lacks %q:\n%s", name, want, out)
		}
	}
}

// TestWordsOfTheFilesStayReadable: an env value that the compose files
// themselves write (taiga's POSTGRES_PASSWORD=taiga, its services taiga-*)
// is not masked in the names a message quotes; a value they do not write
// still is.
func TestWordsOfTheFilesStayReadable(t *testing.T) {
	dir := tempProject(t, map[string]string{
		".env": "POSTGRES_PASSWORD=taiga\nSECRET_KEY=s3cr3t-key-xyz\n",
		"compose.yaml": "services:\n  taiga-back:\n    image: taigaio/taiga-back:latest\n" +
			"    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n      SECRET_KEY: ${SECRET_KEY}\n",
	})
	_, out, _ := runCLI(t, "--no-color", dir)
	if !strings.Contains(out, "taiga-back pulls taigaio/taiga-back:latest") {
		t.Errorf("the service and image names were garbled:\n%s", out)
	}
	if strings.Contains(out, "s3cr3t") {
		t.Errorf("a secret reached the report:\n%s", out)
	}
}
