package report

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// rdjsonFixture: the awkward diagnostics (the first one ends past its line: clamped), plus one on a line with
// multi-byte characters (rdjson columns count bytes) that carries a fix in
// its own file and a fix that also edits another file.
func rdjsonFixture() []lint.Diagnostic {
	f := source.ParseYAML("/p/compose.yaml", []byte("services:\r\n  café:\r\n    image: \"ünï\"\r\n"))
	other := source.ParseYAML("/p/other.yaml", []byte("x: 1\n"))
	start := f.Offset(source.Pos{Line: 3, Col: 13})
	d := lint.Diagnostic{Rule: "rule-three", Severity: lint.Warning, Message: "multi-byte", File: f,
		Range: source.Range{Start: source.Pos{Line: 3, Col: 13}, End: source.Pos{Line: 3, Col: 16}},
		Fixes: []lint.Fix{
			{Message: "in place", Safety: lint.Safe, Edits: []lint.TextEdit{{File: f, Start: start, End: start + len("ünï"), NewText: "a\nb"}}},
			{Message: "across files", Safety: lint.Unsafe, Edits: []lint.TextEdit{{File: f, Start: 0, End: 0}, {File: other, Start: 0, End: 0, NewText: "y"}}},
		}}
	return append(awkward(), d)
}

func TestRDJSONValidatesAgainstReviewdogSchema(t *testing.T) {
	var b bytes.Buffer
	if err := RDJSON(&b, rdjsonFixture(), Options{Cwd: "/p", Environments: allEnvs}); err != nil {
		t.Fatal(err)
	}
	schemaFile, err := os.Open("testdata/rdjson/DiagnosticResult.json")
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("DiagnosticResult.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("DiagnosticResult.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("rdjson output does not validate: %v\n%s", err, b.String())
	}

	// The schema allows any extra field: read it strictly too, so that a
	// misspelt field name fails.
	type pos struct{ Line, Column int }
	type rng struct{ Start, End pos }
	var doc struct {
		Source      struct{ Name, URL string }
		Diagnostics []struct {
			Message, Severity string
			Location          struct {
				Path  string
				Range rng
			}
			Code        struct{ Value, URL string }
			Suggestions []struct {
				Range rng
				Text  string
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Source.Name != "composelint" || len(doc.Diagnostics) != 4 {
		t.Fatalf("source %q, %d diagnostics", doc.Source.Name, len(doc.Diagnostics))
	}
	d0 := doc.Diagnostics[0]
	if d0.Severity != "ERROR" || d0.Code.Value != "rule-one" || d0.Code.URL != lint.DocsURL+"#rule-one" ||
		d0.Location.Path != "dir,with:odd%chars/compose.yaml" || d0.Location.Range != (rng{pos{3, 12}, pos{3, 20}}) ||
		d0.Message != "100% <broken> & \"quoted\" 'x'\r\nsecond line, with: colons (production)" {
		t.Errorf("first diagnostic: %+v", d0)
	}
	d3 := doc.Diagnostics[3]
	// `    image: "ünï"`: ünï is characters 13 to 16, bytes 13 to 18.
	if d3.Location.Range != (rng{pos{3, 13}, pos{3, 18}}) {
		t.Errorf("byte columns: %+v", d3.Location.Range)
	}
	// Only the fix whose edits are all in the diagnostic's file becomes a
	// suggestion, in the file's own line endings.
	if len(d3.Suggestions) != 1 || d3.Suggestions[0].Range != (rng{pos{3, 13}, pos{3, 18}}) || d3.Suggestions[0].Text != "a\r\nb" {
		t.Errorf("suggestions: %+v", d3.Suggestions)
	}
}
