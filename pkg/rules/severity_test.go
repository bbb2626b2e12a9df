package rules_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/rules"
)

// The `# want` harness checks rules and messages; severities that a rule
// grades by what it found are checked here, by line of a fixture.
func TestSeverityIsGraded(t *testing.T) {
	eng := &lint.Engine{Rules: rules.All()}
	for _, tc := range []struct {
		dir  string
		want map[int]lint.Severity // line -> severity
	}{
		{"dangerous-capability/fires", map[int]lint.Severity{5: lint.Error, 6: lint.Warning, 7: lint.Info}},
		{"sensitive-host-mount/fires", map[int]lint.Severity{5: lint.Error, 6: lint.Warning, 7: lint.Warning, 8: lint.Warning, 12: lint.Error, 14: lint.Warning}},
		{"privileged/override-only", map[int]lint.Severity{4: lint.Warning}}, // development only: one level lower
		{"privileged/base", map[int]lint.Severity{2: lint.Error}},
	} {
		for _, d := range lintDir(t, eng, filepath.Join("..", "..", "testdata", "rules", tc.dir)) {
			if want, ok := tc.want[d.Range.Start.Line]; ok && d.Severity != want {
				t.Errorf("%s:%d: %s is %s, want %s", tc.dir, d.Range.Start.Line, d.Rule, d.Severity, want)
			}
		}
	}
}

// A secret's value never reaches a message: the variable is named, a quoted
// URL shows its password as ****.
func TestSecretsAreNeverPrinted(t *testing.T) {
	eng := &lint.Engine{Rules: rules.All()}
	ds := lintDir(t, eng, filepath.Join("..", "..", "testdata", "rules", "hardcoded-secret", "fires"))
	if len(ds) == 0 {
		t.Fatal("no findings")
	}
	for _, d := range ds {
		for _, secret := range []string{"hunter2", "changeme", "12345678", "npm_abcdef", "s3cret", "pw@"} {
			if strings.Contains(d.Message, secret) {
				t.Errorf("line %d: message prints the secret %q: %s", d.Range.Start.Line, secret, d.Message)
			}
		}
	}
}
