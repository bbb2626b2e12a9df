package config_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/config"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/rules"
)

var update = flag.Bool("update", false, "rewrite schema/composelint.schema.json from the rule definitions")

const schemaPath = "../../schema/composelint.schema.json"

// TestSchemaFile keeps schema/composelint.schema.json equal to what the
// rule definitions say.
func TestSchemaFile(t *testing.T) {
	got := config.JSONSchema(rules.All())
	if *update {
		if err := os.WriteFile(schemaPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(schemaPath)
	if err != nil || !bytes.Equal(want, got) {
		t.Errorf("schema/composelint.schema.json is stale (%v); run go test ./pkg/config -run TestSchemaFile -update", err)
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(config.SchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(config.SchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validate checks YAML text against the schema, as the YAML language server would.
func validate(t *testing.T, s *jsonschema.Schema, text string) error {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(text), &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

// documentedExamples are the .composelint.yaml examples of README.md and
// docs/: every ```yaml block that follows a mention of .composelint.yaml
// and starts with one of its keys.
func documentedExamples(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```")
	for _, path := range []string{"../../README.md", "../../docs/ci.md", "../../docs/editors.md"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range block.FindAllStringSubmatchIndex(string(data), -1) {
			text := string(data[m[2]:m[3]])
			before := string(data[max(0, m[0]-300):m[0]])
			if strings.Contains(before, ".composelint.yaml") && regexp.MustCompile(`(?m)^(# yaml-language-server.*\n)?(rules|environments|ignore|strict):`).MatchString(text) {
				out[filepath.Base(path)+"#"+string(rune('0'+i))] = text
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no documented .composelint.yaml example found")
	}
	return out
}

func TestSchemaAcceptsWhatParseAccepts(t *testing.T) {
	s := compileSchema(t)
	eng := &lint.Engine{Rules: rules.All()}
	examples := documentedExamples(t)
	// and every configuration of the fixtures that the loader accepts
	files, _ := filepath.Glob("../../testdata/*/*/*/.composelint.yaml")
	more, _ := filepath.Glob("../../testdata/*/.composelint.yaml")
	for _, f := range append(files, more...) {
		data, _ := os.ReadFile(f)
		if _, err := config.Parse(f, data, eng.Rule); err == nil {
			examples[f] = string(data)
		}
	}
	t.Logf("%d examples and fixture configurations", len(examples))
	for name, text := range examples {
		if _, err := config.Parse(name, []byte(text), eng.Rule); err != nil {
			t.Errorf("%s: the documented example is refused by the loader: %v", name, err)
		}
		if err := validate(t, s, text); err != nil {
			t.Errorf("%s: the schema refuses what the loader accepts: %v\n%s", name, err, text)
		}
	}
}

func TestSchemaRejectsMistakes(t *testing.T) {
	s := compileSchema(t)
	eng := &lint.Engine{Rules: rules.All()}
	for _, text := range []string{
		"rule:\n  obsolete-version: off\n",                                 // unknown key
		"rules:\n  no-such-rule: off\n",                                    // unknown rule
		"rules:\n  obsolete-version: sometimes\n",                          // unknown level
		"rules:\n  obsolete-version:\n    level: error\n",                  // unknown rule key
		"rules:\n  external-database-host:\n    options:\n      addr: x\n", // unknown option
		"environments:\n  production: []\n",                                // no files
		"strict: yes please\n",                                             // not a boolean
	} {
		if _, err := config.Parse(".composelint.yaml", []byte(text), eng.Rule); err == nil {
			t.Errorf("the loader accepts %q", text)
		}
		if err := validate(t, s, text); err == nil {
			t.Errorf("the schema accepts %q", text)
		}
	}
}
