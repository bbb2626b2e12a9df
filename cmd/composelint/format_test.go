package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/composelint/composelint/pkg/report"
	"github.com/composelint/composelint/pkg/rules"
)

const example = "../../testdata/example"

func TestEveryFormatNamesTheRulesAndKeepsTheExitCode(t *testing.T) {
	wantCode, _, _ := runCLI(t, "--no-color", example)
	for _, format := range report.Formats {
		code, out, stderr := runCLI(t, "--format", format, example)
		if code != wantCode || stderr != "" {
			t.Errorf("%s: exit %d (text: %d), stderr %q", format, code, wantCode, stderr)
		}
		for _, rule := range []string{"obsolete-version", "proxy-volume-readonly", "env-file-missing"} {
			if !strings.Contains(out, rule) {
				t.Errorf("%s output does not name %s:\n%s", format, rule, out)
			}
		}
	}
}

func TestSARIFFromTheCLIIsValid(t *testing.T) {
	dir := tempProject(t, map[string]string{
		"docker-compose.yml": "version: \"3.8\"\nservices:\n  web:\n    image: example/web\n    volumes:\n      - static:/static\n" +
			"  caddy:\n    image: caddy:2\n    volumes:\n      - static:/srv/static\n      - nowhere:/x\nvolumes:\n  static:\n  unused:\n",
	})
	schema := compileSchema(t, "../../pkg/report/testdata/sarif/sarif-schema-2.1.0.json")
	t.Chdir(dir)
	code, out, stderr := runCLI(t, "--format", "sarif")
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("invalid SARIF 2.1.0: %v\n%s", err, out)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name, Version string
					Rules         []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
					}
				}
				Fixes []any
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "composelint" || run.Tool.Driver.Version != toolVersion() || len(run.Tool.Driver.Rules) != len(rules.All()) {
		t.Errorf("driver: %+v", run.Tool.Driver)
	}
	ruleSet, fixes := map[string]bool{}, 0
	for _, r := range run.Results {
		ruleSet[r.RuleID] = true
		fixes += len(r.Fixes)
		if loc := r.Locations[0].PhysicalLocation.ArtifactLocation; loc.URI != "docker-compose.yml" || loc.URIBaseID != "%SRCROOT%" {
			t.Errorf("%s: artifact %+v, want docker-compose.yml relative to %%SRCROOT%%", r.RuleID, loc)
		}
	}
	for _, want := range []string{"obsolete-version", "proxy-volume-readonly", "undefined-volume", "unused-volume"} {
		if !ruleSet[want] {
			t.Errorf("no %s result:\n%s", want, out)
		}
	}
	if fixes < 3 {
		t.Errorf("%d fixes, want the safe fixes of obsolete-version, proxy-volume-readonly and unused-volume", fixes)
	}
}

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	obj := doc.(map[string]any)
	if obj["$schema"] != "http://json-schema.org/draft-04/schema#" {
		t.Fatalf("the SARIF schema declares %v; this test compiles draft-04", obj["$schema"])
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	id := obj["id"].(string)
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestXMLFormatsAreWellFormed(t *testing.T) {
	for _, format := range []string{"checkstyle", "junit"} {
		_, out, _ := runCLI(t, "--format", format, example)
		dec := xml.NewDecoder(strings.NewReader(out))
		var sources, types []string
		for {
			tok, err := dec.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%s: not well-formed: %v\n%s", format, err, out)
				}
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				for _, a := range se.Attr {
					switch {
					case se.Name.Local == "error" && a.Name.Local == "source":
						sources = append(sources, a.Value)
					case se.Name.Local == "failure" && a.Name.Local == "type":
						types = append(types, a.Value)
					}
				}
			}
		}
		got := strings.Join(append(sources, types...), " ")
		if !strings.Contains(got, "obsolete-version") || !strings.Contains(got, "database-in-production") {
			t.Errorf("%s: rules named %q", format, got)
		}
	}
}

func TestGitHubFormatLines(t *testing.T) {
	_, out, _ := runCLI(t, "--format", "github", example)
	abs, _ := filepath.Abs(filepath.Join(example, "docker-compose.yml"))
	want := "::warning file=" + strings.NewReplacer(":", "%3A", ",", "%2C").Replace(filepath.ToSlash(abs)) +
		",line=4,col=1,endLine=4,endColumn=8,title=obsolete-version::`version` is obsolete: Compose ignores it; remove it\n"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::warning ") && !strings.HasPrefix(line, "::notice ") {
			t.Errorf("not a workflow command: %q", line)
		}
	}
}

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reports", "composelint.json")
	code, out, stderr := runCLI(t, "--format", "json", "--output-file", path, example)
	if code != 1 || out != "" || stderr != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and nothing printed", code, out, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc jsonOut
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Diagnostics) == 0 {
		t.Errorf("report file: %v\n%s", err, data)
	}

	clean := tempProject(t, map[string]string{"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n"})
	code, out, _ = runCLI(t, "--format", "gitlab", "-o", path, clean)
	if data, _ := os.ReadFile(path); code != 0 || out != "" || strings.TrimSpace(string(data)) != "[]" {
		t.Errorf("clean project: exit %d, stdout %q, file %q", code, out, data)
	}

	code, out, _ = runCLI(t, "--no-color", "-o", path, example)
	if data, _ := os.ReadFile(path); code != 1 || out != "" || !strings.Contains(string(data), "[obsolete-version]") || strings.Contains(string(data), "\x1b[") {
		t.Errorf("text to a file: exit %d, stdout %q, file:\n%s", code, out, data)
	}

	for _, args := range [][]string{
		{"--output-file", filepath.Join(path, "below-a-file"), example},
		{"--output-file=", example},
	} {
		code, out, stderr := runCLI(t, args...)
		if code != 2 || out != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line", args, code, out, stderr)
		}
	}
}

func TestHelpNamesTheFormats(t *testing.T) {
	_, out, _ := runCLI(t, "--help")
	for _, f := range append(report.Formats, "--output-file") {
		if !strings.Contains(out, f) {
			t.Errorf("--help does not mention %s:\n%s", f, out)
		}
	}
	_, _, stderr := runCLI(t, "--format", "xml", example)
	if !strings.Contains(stderr, "sarif") || !strings.Contains(stderr, "gitlab") {
		t.Errorf("unknown format error does not list the formats: %q", stderr)
	}
}
