package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// awkward are diagnostics whose messages and file names hold everything the
// formats must escape.
func awkward() []lint.Diagnostic {
	a := source.ParseYAML("/p/dir,with:odd%chars/compose.yaml", []byte("services:\n  web:\n    image: \"a<b>&c\"\n"))
	b := source.ParseYAML("/p/compose.yaml", []byte("version: '3'\nservices: {}\n"))
	return []lint.Diagnostic{
		{Rule: "rule-one", Severity: lint.Error, Message: "100% <broken> & \"quoted\" 'x'\r\nsecond line, with: colons", File: a,
			Range: source.Range{Start: source.Pos{Line: 3, Col: 12}, End: source.Pos{Line: 3, Col: 21}}, Environments: []string{"production"}},
		{Rule: "rule-two", Severity: lint.Info, Message: "spans lines\x01", File: a,
			Range: source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 3, Col: 5}}},
		{Rule: "obsolete-version", Severity: lint.Warning, Message: "`version` is obsolete", File: b,
			Range: source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 1, Col: 8}}},
	}
}

var allEnvs = []string{"development", "production"}

func TestGitHubWorkflowCommands(t *testing.T) {
	var b bytes.Buffer
	if err := GitHub(&b, awkward(), Options{Cwd: "/p", Environments: allEnvs}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=dir%2Cwith%3Aodd%25chars/compose.yaml,line=3,col=12,endLine=3,endColumn=21,title=rule-one::" +
		"100%25 <broken> & \"quoted\" 'x'%0D%0Asecond line, with: colons (production)\n" +
		"::notice file=dir%2Cwith%3Aodd%25chars/compose.yaml,line=1,endLine=3,title=rule-two::spans lines\x01\n" +
		"::warning file=compose.yaml,line=1,col=1,endLine=1,endColumn=8,title=obsolete-version::`version` is obsolete\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	for _, line := range strings.SplitAfter(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if strings.Count(line, "\n") > 1 || strings.Count(line, "::") != 2 {
			t.Errorf("not one workflow command: %q", line)
		}
	}
}

func TestCheckstyleIsWellFormedAndNamesRules(t *testing.T) {
	ds := awkward()
	var b bytes.Buffer
	if err := Checkstyle(&b, ds, Options{Cwd: "/p"}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName xml.Name `xml:"checkstyle"`
		Version string   `xml:"version,attr"`
		Files   []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Line     int    `xml:"line,attr"`
				Column   int    `xml:"column,attr"`
				Severity string `xml:"severity,attr"`
				Message  string `xml:"message,attr"`
				Source   string `xml:"source,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, b.String())
	}
	if doc.Version != "4.3" || len(doc.Files) != 2 || doc.Files[0].Name != "dir,with:odd%chars/compose.yaml" || doc.Files[1].Name != "compose.yaml" {
		t.Fatalf("files: %+v", doc)
	}
	e := doc.Files[0].Errors[0]
	if e.Line != 3 || e.Column != 12 || e.Severity != "error" || e.Source != "composelint.rule-one" ||
		e.Message != "100% <broken> & \"quoted\" 'x'\r\nsecond line, with: colons" {
		t.Errorf("first error: %+v", e)
	}
	if got := doc.Files[0].Errors[1]; got.Severity != "info" || got.Source != "composelint.rule-two" || got.Message != "spans lines\uFFFD" {
		t.Errorf("second error: %+v (a control character XML cannot hold becomes U+FFFD)", got)
	}
	if got := doc.Files[1].Errors[0]; got.Source != "composelint.obsolete-version" || got.Severity != "warning" {
		t.Errorf("third error: %+v", got)
	}
}

type junitDoc struct {
	XMLName xml.Name `xml:"testsuites"`
	Suites  []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failures  []struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, data []byte) junitDoc {
	t.Helper()
	var doc junitDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, data)
	}
	if len(doc.Suites) != 1 || doc.Suites[0].Name != "composelint" {
		t.Fatalf("want one test suite composelint:\n%s", data)
	}
	return doc
}

func TestJUnitIsWellFormedAndNamesRules(t *testing.T) {
	var b bytes.Buffer
	if err := JUnit(&b, awkward(), Options{Cwd: "/p", Files: []string{"/p/compose.yaml", "/p/clean.yml"}}); err != nil {
		t.Fatal(err)
	}
	s := parseJUnit(t, b.Bytes()).Suites[0]
	// A failing case per finding, a passing case per clean file.
	if s.Tests != 4 || s.Failures != 3 || len(s.Cases) != 4 {
		t.Fatalf("tests %d failures %d cases %d, want 4, 3, 4:\n%s", s.Tests, s.Failures, len(s.Cases), b.String())
	}
	for i, want := range []struct{ class, rule string }{
		{"dir,with:odd%chars/compose.yaml", "rule-one"}, {"dir,with:odd%chars/compose.yaml", "rule-two"}, {"compose.yaml", "obsolete-version"},
	} {
		c := s.Cases[i]
		if c.Classname != want.class || len(c.Failures) != 1 || c.Failures[0].Type != want.rule || !strings.HasPrefix(c.Name, want.rule+" (") {
			t.Errorf("case %d: %+v, want a failure of %s in %s", i, c, want.rule, want.class)
		}
	}
	if f := s.Cases[0].Failures[0]; f.Message != "100% <broken> & \"quoted\" 'x'\r\nsecond line, with: colons" ||
		!strings.Contains(f.Text, "3:12: error: 100% <broken>") || !strings.Contains(f.Text, `image: "a<b>&c"`) || !strings.Contains(f.Text, "[rule-one]") {
		t.Errorf("failure: %+v", f)
	}
	if c := s.Cases[3]; c.Name != "clean.yml" || len(c.Failures) != 0 {
		t.Errorf("a linted file without findings is a passing case: %+v", c)
	}
}

func TestJUnitWithoutFindingsPasses(t *testing.T) {
	var b bytes.Buffer
	if err := JUnit(&b, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	s := parseJUnit(t, b.Bytes()).Suites[0]
	if s.Tests != 1 || s.Failures != 0 || len(s.Cases) != 1 || len(s.Cases[0].Failures) != 0 {
		t.Errorf("want one passing test case:\n%s", b.String())
	}
}

type gitlabOut struct {
	Description string `json:"description"`
	CheckName   string `json:"check_name"`
	Fingerprint string `json:"fingerprint"`
	Severity    string `json:"severity"`
	Location    struct {
		Path  string `json:"path"`
		Lines struct {
			Begin int `json:"begin"`
			End   int `json:"end"`
		} `json:"lines"`
	} `json:"location"`
}

func gitlabOf(t *testing.T, ds []lint.Diagnostic) []gitlabOut {
	t.Helper()
	var b bytes.Buffer
	if err := GitLab(&b, ds, Options{Cwd: "/p"}); err != nil {
		t.Fatal(err)
	}
	var out []gitlabOut
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, b.String())
	}
	return out
}

// readonly is a finding of each `- static:/srv` line of content.
func readonly(content string) []lint.Diagnostic {
	f := source.ParseYAML("/p/compose.yaml", []byte(content))
	var ds []lint.Diagnostic
	for n := 1; n <= f.Lines(); n++ {
		if i := strings.Index(f.Line(n), "- static:/srv"); i >= 0 {
			ds = append(ds, lint.Diagnostic{Rule: "proxy-volume-readonly", Severity: lint.Warning, Message: "mount static read-only", File: f,
				Range: source.Range{Start: source.Pos{Line: n, Col: i + 3}, End: source.Pos{Line: n, Col: i + 14}}})
		}
	}
	return ds
}

func TestGitLabFingerprints(t *testing.T) {
	const before = "services:\n  caddy:\n    volumes:\n      - static:/srv\n  nginx:\n    volumes:\n      - static:/srv\n"
	const after = "# a comment\nservices:\n  web:\n    image: x\n  caddy:\n    volumes:\n      - static:/srv\n  nginx:\n    volumes:\n      - static:/srv\n"
	a, b := gitlabOf(t, readonly(before)), gitlabOf(t, readonly(after))
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("findings: %d, %d", len(a), len(b))
	}
	if a[0].Location.Lines.Begin == b[0].Location.Lines.Begin {
		t.Fatal("the edit should move the findings")
	}
	for i := range a {
		if a[i].Fingerprint != b[i].Fingerprint {
			t.Errorf("finding %d: fingerprint changed when lines were inserted above it: %s → %s", i, a[i].Fingerprint, b[i].Fingerprint)
		}
	}
	if a[0].Fingerprint == a[1].Fingerprint {
		t.Errorf("two findings on identical lines share a fingerprint")
	}
	c := gitlabOf(t, awkward())
	seen := map[string]bool{}
	for _, x := range append(a, c...) {
		if seen[x.Fingerprint] || x.Fingerprint == "" {
			t.Errorf("fingerprint %q repeated or empty", x.Fingerprint)
		}
		seen[x.Fingerprint] = true
	}
	if c[0].CheckName != "rule-one" || c[0].Severity != "critical" || c[1].Severity != "info" || c[2].Severity != "major" {
		t.Errorf("check names and severities: %+v", c)
	}
	if c[1].Location.Path != "dir,with:odd%chars/compose.yaml" || c[1].Location.Lines.Begin != 1 || c[1].Location.Lines.End != 3 {
		t.Errorf("location: %+v", c[1].Location)
	}
	// A change of the finding's own line is a new finding.
	changed := gitlabOf(t, readonly(strings.Replace(before, "      - static:/srv\n  nginx", "      - static:/srv  # served\n  nginx", 1)))
	if changed[0].Fingerprint == a[0].Fingerprint {
		t.Errorf("fingerprint ignores the text of the line")
	}
	if empty := gitlabOf(t, nil); empty == nil || len(empty) != 0 {
		t.Errorf("no findings: want [], got %v", empty)
	}
}

func TestGitLabFingerprintHidesEnvValues(t *testing.T) {
	mk := func(secret string) string {
		env := source.New("/p/.env", []byte("DATABASE_URL="+secret+"\n"))
		return gitlabOf(t, []lint.Diagnostic{{Rule: "r", Severity: lint.Info, Message: "m", File: env,
			Range: source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 1, Col: 13}}}})[0].Fingerprint
	}
	if mk("postgres://a:1@db/x") != mk("postgres://a:2@db/x") {
		t.Errorf("an env file's value goes into the fingerprint")
	}
}

func TestLookupKnowsEveryFormat(t *testing.T) {
	for _, f := range Formats {
		w, ok := Lookup(f)
		if !ok {
			t.Fatalf("format %s has no writer", f)
		}
		var b bytes.Buffer
		if err := w(&b, awkward(), Options{Cwd: "/p"}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if f != "text" && !strings.Contains(b.String(), "rule-one") {
			t.Errorf("%s does not name the rule:\n%s", f, b.String())
		}
	}
	if _, ok := Lookup("xml"); ok {
		t.Error("Lookup(xml) succeeds")
	}
}

func TestWriteFileIsAtomicAndKeepsMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reports", "out.sarif")
	if err := WriteFile(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(got) != "two" || st.Mode().Perm() != 0o640 {
		t.Errorf("content %q mode %v", got, st.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := WriteFile(filepath.Join(dir, "reports", "out.sarif", "x"), nil); err == nil {
		t.Error("writing below a file succeeds")
	}
}
