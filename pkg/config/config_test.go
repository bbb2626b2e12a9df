package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composelint/composelint/pkg/lint"
)

var rules = map[string]*lint.Rule{
	"obsolete-version":       {ID: "obsolete-version"},
	"external-database-host": {ID: "external-database-host", Options: []lint.Option{{Name: "address", Default: "host-gateway"}}},
}

func rule(id string) *lint.Rule { return rules[id] }

func TestParse(t *testing.T) {
	c, err := Parse(".composelint.yaml", []byte(`
rules:
  obsolete-version: off
  external-database-host:
    severity: error
    options:
      address: 10.0.0.5
environments:
  production: [docker-compose.yml, docker/docker-compose.prod.yml]
  staging: docker-compose.staging.yml
ignore:
  - "examples/*.yml"
  - vendor/**
strict: true
`), rule)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]lint.RuleConfig{
		"obsolete-version":       {Off: true},
		"external-database-host": {Severity: lint.Error, Options: map[string]any{"address": "10.0.0.5"}},
	}
	if diff := cmp.Diff(want, c.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if !c.Strict {
		t.Error("strict: true was not read")
	}
	wantEnvs := []Environment{
		{Name: "production", Files: []string{"docker-compose.yml", "docker/docker-compose.prod.yml"}},
		{Name: "staging", Files: []string{"docker-compose.staging.yml"}},
	}
	if diff := cmp.Diff(wantEnvs, c.Environments); diff != "" {
		t.Errorf("environments (-want +got):\n%s", diff)
	}
	for path, ignored := range map[string]bool{
		"examples/a.yml": true, "examples/sub/a.yml": false, "vendor/x/compose.yaml": true, "docker-compose.yml": false,
	} {
		if c.Ignored(path) != ignored {
			t.Errorf("Ignored(%s) = %v, want %v", path, !ignored, ignored)
		}
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	for text, want := range map[string]string{
		"rulez: {}\n":                                             `1:1: unknown key "rulez"`,
		"rules:\n  no-such-rule: off\n":                           `2:3: unknown rule "no-such-rule"`,
		"rules:\n  obsolete-version: loud\n":                      `2:21: obsolete-version: unknown level "loud"`,
		"rules:\n  obsolete-version:\n    options: {}\n":          ``, // an empty options mapping is fine
		"rules:\n  obsolete-version:\n    options:\n      x: 1\n": `obsolete-version: unknown option "x" (this rule has no options)`,
		"environments:\n  production: []\n":                       `environment "production" lists no files`,
		"ignore: ['[']\n":                                         `bad glob`,
		"[1, 2]\n":                                                `must be a mapping`,
		"strict: maybe\n":                                         `1:9: strict must be true or false`,
	} {
		_, err := Parse("c.yaml", []byte(text), rule)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: unexpected error %v", text, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: error %v, want it to contain %q", text, err, want)
		}
	}
}
