package rules_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/rules"
)

// The env file of this fixture holds a password in DATABASE_URL: no
// message may print it, nor any other value of the file.
func TestExternalDatabaseHostKeepsSecrets(t *testing.T) {
	eng := &lint.Engine{Rules: rules.All()}
	dir := filepath.Join("..", "..", "testdata", "rules", "external-database-host", "env-file")
	n := 0
	for _, d := range lintDir(t, eng, dir) {
		if d.Rule != "external-database-host" {
			continue
		}
		n++
		for _, secret := range []string{"s3cr3t-pa55", "not-so-secret", "app:", "5432/app"} {
			if strings.Contains(d.Message, secret) {
				t.Errorf("message prints a value of the env file (%q): %s", secret, d.Message)
			}
		}
	}
	if n == 0 {
		t.Fatal("no external-database-host finding")
	}
}
