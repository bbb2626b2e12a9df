package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/rules"
	"github.com/composelint/composelint/pkg/source"
)

var (
	sarifSchemaOnce sync.Once
	sarifSchemaVal  *jsonschema.Schema
	sarifSchemaErr  error
)

// sarifSchema compiles the OASIS SARIF 2.1.0 schema in testdata/sarif with
// the JSON Schema draft that the schema itself declares (draft-04).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	sarifSchemaOnce.Do(func() {
		sarifSchemaVal, sarifSchemaErr = compileSARIFSchema("testdata/sarif/sarif-schema-2.1.0.json")
	})
	if sarifSchemaErr != nil {
		t.Fatal(sarifSchemaErr)
	}
	return sarifSchemaVal
}

func compileSARIFSchema(path string) (*jsonschema.Schema, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	obj, _ := doc.(map[string]any)
	declared, _ := obj["$schema"].(string)
	drafts := map[string]*jsonschema.Draft{
		"http://json-schema.org/draft-04/schema#":      jsonschema.Draft4,
		"http://json-schema.org/draft-06/schema#":      jsonschema.Draft6,
		"http://json-schema.org/draft-07/schema#":      jsonschema.Draft7,
		"https://json-schema.org/draft/2019-09/schema": jsonschema.Draft2019,
		"https://json-schema.org/draft/2020-12/schema": jsonschema.Draft2020,
	}
	draft, ok := drafts[declared]
	if !ok {
		return nil, &os.PathError{Op: "compile", Path: path, Err: os.ErrInvalid}
	}
	id, _ := obj["id"].(string) // draft-04 names its URI "id"
	if id == "" {
		id, _ = obj["$id"].(string)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(draft)
	if err := c.AddResource(id, doc); err != nil {
		return nil, err
	}
	return c.Compile(id)
}

func validateSARIF(t *testing.T, out []byte) map[string]any {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v\n%s", err, out)
	}
	if err := sarifSchema(t).Validate(doc); err != nil {
		t.Fatalf("SARIF output violates the SARIF 2.1.0 schema: %v\n%s", err, out)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSARIFSchemaIsDraft4AndRejectsBadLogs(t *testing.T) {
	s := sarifSchema(t)
	if s.DraftVersion != 4 {
		t.Errorf("compiled with draft %d, want 4 (the schema's $schema)", s.DraftVersion)
	}
	for _, bad := range []string{
		`{"version": "2.1.0"}`, // no runs
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]}`,
	} {
		doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err := s.Validate(doc); err == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
}

// lintFixture lints testdata/project for real, with every rule.
func lintFixture(t *testing.T) ([]lint.Diagnostic, []*lint.Rule, string) {
	t.Helper()
	eng := &lint.Engine{Rules: rules.All()}
	targets, err := project.Resolve([]string{"testdata/project"}, project.Options{Rule: eng.Rule})
	if err != nil {
		t.Fatal(err)
	}
	p, err := targets[0].Load()
	if err != nil {
		t.Fatal(err)
	}
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return eng.Run(p), eng.Rules, cwd
}

// sarifView is what the tests read of a SARIF log.
type sarifView struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver sarifDriverView
		}
		Results []sarifResultView
	}
}

type sarifDriverView struct {
	Name, Version, InformationURI string
	Rules                         []struct {
		ID, Name, HelpURI    string
		ShortDescription     struct{ Text string }
		FullDescription      struct{ Text, Markdown string }
		Help                 struct{ Text, Markdown string }
		DefaultConfiguration struct{ Level string }
	}
}

type sarifResultView struct {
	RuleID    string
	RuleIndex *int
	Level     string
	Message   struct{ Text string }
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct{ URI, URIBaseID string }
			Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
		}
	}
	Fixes []struct {
		Description     struct{ Text string }
		ArtifactChanges []struct {
			ArtifactLocation struct{ URI string }
			Replacements     []struct {
				DeletedRegion   struct{ StartLine, StartColumn, EndLine, EndColumn int }
				InsertedContent struct{ Text string }
			}
		}
	}
	Properties struct{ Environments []string }
}

func TestSARIFOfARealRunIsValid(t *testing.T) {
	ds, all, cwd := lintFixture(t)
	var b bytes.Buffer
	if err := SARIF(&b, ds, Options{Cwd: cwd, Rules: all, ToolVersion: "1.2.3", Environments: []string{"development", "production"}}); err != nil {
		t.Fatal(err)
	}
	doc := validateSARIF(t, b.Bytes())
	var log sarifView
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if doc["$schema"] == nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("not one SARIF 2.1.0 run:\n%s", b.String())
	}
	d := log.Runs[0].Tool.Driver
	checkSARIFDriver(t, d, all)
	results := log.Runs[0].Results
	if len(results) != len(ds) {
		t.Fatalf("%d results for %d diagnostics", len(results), len(ds))
	}
	checkSARIFResults(t, results, ds, d, doc)
	if !hasROInsertion(results) {
		t.Errorf("no `:ro` insertion among the fixes:\n%s", b.String())
	}
}

// checkSARIFDriver: the driver names the tool and describes every rule of
// the engine, with its documentation.
func checkSARIFDriver(t *testing.T, d sarifDriverView, all []*lint.Rule) {
	t.Helper()
	if d.Name != "composelint" || d.Version != "1.2.3" || d.InformationURI != InformationURI {
		t.Errorf("driver %q %q %q", d.Name, d.Version, d.InformationURI)
	}
	if len(d.Rules) != len(all) {
		t.Fatalf("%d rules described, want the engine's %d", len(d.Rules), len(all))
	}
	for i, r := range d.Rules {
		want := all[i]
		if r.ID != want.ID || r.Name == "" || r.ShortDescription.Text == "" || r.FullDescription.Text == "" ||
			!strings.Contains(r.Help.Markdown, "## Why") || r.Help.Text == "" || r.DefaultConfiguration.Level != sarifLevel(want.Severity) {
			t.Errorf("rule %d: %+v", i, r)
		}
		if r.HelpURI != want.DocURL() || !strings.HasSuffix(r.HelpURI, "rules.md#"+want.ID) {
			t.Errorf("rule %s: helpUri %q", want.ID, r.HelpURI)
		}
		if want.Doc.Example != "" && !strings.Contains(r.Help.Markdown, "```yaml\n"+strings.TrimRight(want.Doc.Example, "\n")) {
			t.Errorf("rule %s: help lacks the example:\n%s", want.ID, r.Help.Markdown)
		}
	}
}

// checkSARIFResults: each result says what its diagnostic says, where it
// says it, and the fixture gives several rules, levels and fixes.
func checkSARIFResults(t *testing.T, results []sarifResultView, ds []lint.Diagnostic, d sarifDriverView, doc map[string]any) {
	t.Helper()
	seenRules, fixes, levels := map[string]bool{}, 0, map[string]bool{}
	for i, r := range results {
		seenRules[r.RuleID] = true
		levels[r.Level] = true
		if r.RuleIndex == nil || d.Rules[*r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d (%s): ruleIndex %v does not point at its rule", i, r.RuleID, r.RuleIndex)
		}
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || !strings.HasPrefix(loc.ArtifactLocation.URI, "testdata/project/") {
			t.Errorf("result %d: artifact %+v, want relative to %%SRCROOT%%", i, loc.ArtifactLocation)
		}
		if reg := loc.Region; reg.StartLine != ds[i].Range.Start.Line || reg.StartColumn != ds[i].Range.Start.Col ||
			reg.EndLine != ds[i].Range.End.Line || reg.EndColumn != ds[i].Range.End.Col {
			t.Errorf("result %d: region %+v, diagnostic %+v", i, reg, ds[i].Range)
		}
		if r.Message.Text != ds[i].Message || strings.Join(r.Properties.Environments, ",") != strings.Join(ds[i].Environments, ",") {
			t.Errorf("result %d: message %q, environments %v", i, r.Message.Text, r.Properties.Environments)
		}
		props := doc["runs"].([]any)[0].(map[string]any)["results"].([]any)[i].(map[string]any)["properties"].(map[string]any)
		if _, ok := props["environments"].([]any); !ok {
			t.Errorf("result %d: properties.environments is not an array: %v", i, props)
		}
		fixes += len(r.Fixes)
		for _, f := range r.Fixes {
			if f.Description.Text == "" || len(f.ArtifactChanges) == 0 || len(f.ArtifactChanges[0].Replacements) == 0 {
				t.Errorf("result %d: fix %+v", i, f)
			}
		}
	}
	if len(seenRules) < 4 || fixes < 3 || !levels["error"] || !levels["warning"] || !levels["note"] {
		t.Errorf("the fixture should give several rules, levels and fixes: rules %v, levels %v, %d fixes", seenRules, levels, fixes)
	}
}

// hasROInsertion: the `:ro` fix of proxy-volume-readonly inserts at the
// end of the mount.
func hasROInsertion(results []sarifResultView) bool {
	for _, r := range results {
		for _, f := range r.Fixes {
			for _, c := range f.ArtifactChanges {
				for _, rep := range c.Replacements {
					if rep.InsertedContent.Text == ":ro" && rep.DeletedRegion.StartColumn == rep.DeletedRegion.EndColumn {
						return true
					}
				}
			}
		}
	}
	return false
}

func TestSARIFEdgeCasesAreValid(t *testing.T) {
	dir := t.TempDir()
	crlf := source.ParseYAML(filepath.Join(dir, "my project", "compose.yaml"), []byte("version: '3'\r\nservices:\r\n  wéb:\r\n    image: x\r\n"))
	override := source.New(filepath.Join(dir, "my project", "docker-compose.override.yml"), nil) // created by the fix
	outside := source.New("/elsewhere/.env", []byte("A=1\n"))
	rule := &lint.Rule{ID: "database-in-production", Summary: "a database runs in production", Severity: lint.Warning,
		SecuritySeverity: 7.5,
		Doc:              lint.Doc{What: "Reports `db`.", Why: "It is <fragile> & \"unbacked\".", Example: "services:\n  db: {image: postgres}\n"}}
	ds := []lint.Diagnostic{
		{Rule: rule.ID, Severity: lint.Warning, Message: "`wéb` runs postgres", File: crlf,
			Range:        source.Range{Start: source.Pos{Line: 3, Col: 3}, End: source.Pos{Line: 3, Col: 6}},
			Environments: []string{"production"},
			Fixes: []lint.Fix{{Message: "move wéb to the override", Safety: lint.Unsafe, Edits: []lint.TextEdit{
				{File: crlf, Start: 23, End: 45},
				{File: override, NewText: "services:\n  wéb:\n    image: x\n"},
			}}, {Message: "no edits", Safety: lint.Safe}}},
		{Rule: "not-in-rules", Severity: lint.Info, Message: "outside", File: outside,
			Range: source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 2, Col: 1}}},
	}
	var b bytes.Buffer
	if err := SARIF(&b, ds, Options{Cwd: dir, Rules: []*lint.Rule{rule}}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b.Bytes())
	out := b.String()
	for _, want := range []string{
		`"uri": "my%20project/compose.yaml"`,
		`"uri": "file:///elsewhere/.env"`,
		`"text": "services:\n  wéb:\n    image: x\n"`, // a new file has no line endings of its own
		`move wéb to the override (unsafe: `,
		`"safety": "unsafe"`,
		`"columnKind": "unicodeCodePoints"`,
		`"%SRCROOT%": {`,
		`"security-severity": "7.5"`, // GitHub code scanning ranks by it
		`"security"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("SARIF lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "no edits") {
		t.Errorf("a fix without edits is not a SARIF fix:\n%s", out)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleIndex *int
				Fixes     []struct {
					ArtifactChanges []struct {
						Replacements []struct{ InsertedContent struct{ Text string } }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	if res[0].RuleIndex == nil || *res[0].RuleIndex != 0 || res[1].RuleIndex != nil {
		t.Errorf("ruleIndex: a described rule has its index, another none")
	}
	if n := len(res[0].Fixes[0].ArtifactChanges); n != 2 {
		t.Errorf("a fix of two files: %d artifact changes", n)
	}

	// An edit of a CRLF file inserts CRLF line endings, as --fix writes them.
	ds[0].Fixes[0].Edits = []lint.TextEdit{{File: crlf, Start: 0, End: 0, NewText: "# a\n# b\n"}}
	b.Reset()
	if err := SARIF(&b, ds[:1], Options{Cwd: dir}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b.Bytes())
	if !strings.Contains(b.String(), `"text": "# a\r\n# b\r\n"`) {
		t.Errorf("CRLF file, want CRLF insertion:\n%s", b.String())
	}

	// No findings, no rules: still a valid log.
	b.Reset()
	if err := SARIF(&b, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b.Bytes())
}

func TestPascalCase(t *testing.T) {
	for in, want := range map[string]string{"obsolete-version": "ObsoleteVersion", "yaml-syntax": "YamlSyntax", "x": "X"} {
		if got := pascalCase(in); got != want {
			t.Errorf("pascalCase(%q) = %q, want %q", in, got, want)
		}
	}
}
