package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

type checkstyleDoc struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// Checkstyle prints the diagnostics as a Checkstyle XML report, one <file>
// per file with findings, each finding an <error> whose source names the
// rule as "composelint.RULE".
func Checkstyle(w io.Writer, ds []lint.Diagnostic, o Options) error {
	doc := checkstyleDoc{Version: "4.3"}
	for _, g := range byFile(ds, o.Cwd) {
		f := checkstyleFile{Name: g.name}
		for _, d := range g.diags {
			f.Errors = append(f.Errors, checkstyleError{
				Line: d.Range.Start.Line, Column: d.Range.Start.Col, Severity: d.Severity.String(),
				Message: d.Message + envNote(d, o.Environments), Source: "composelint." + d.Rule,
			})
		}
		doc.Files = append(doc.Files, f)
	}
	return writeXML(w, doc)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

// junitProperty: the environments linted ("environment.production" =
// its files) and discovery's notes ("note").
type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Failures  []junitFailure `xml:"failure"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",innerxml"` // escaped by xmlText
}

// JUnit prints the diagnostics as a JUnit XML report: one test suite
// "composelint" with a failing test case per finding (CI dashboards count
// them), named by its rule and place, its class the file, and a passing
// case for every linted file without findings (o.Files). A run without
// findings has at least one passing case.
func JUnit(w io.Writer, ds []lint.Diagnostic, o Options) error {
	suite := junitSuite{Name: "composelint"}
	for _, e := range o.jsonEnvironments() {
		suite.Properties = append(suite.Properties, junitProperty{Name: "environment." + e.Name, Value: strings.Join(e.Files, " ")})
	}
	for _, n := range o.Notes {
		suite.Properties = append(suite.Properties, junitProperty{Name: "note", Value: o.noteText(n)})
	}
	groups := byFile(ds, o.Cwd)
	seen := map[string]bool{}
	for _, g := range groups {
		seen[g.name] = true
	}
	for _, p := range o.Files {
		if name := source.Rel(o.Cwd, p); !seen[name] {
			seen[name] = true
			groups = append(groups, fileGroup{name: name})
		}
	}
	for _, g := range groups {
		if len(g.diags) == 0 {
			suite.Cases = append(suite.Cases, junitCase{Name: g.name, Classname: g.name})
		}
		for _, d := range g.diags {
			var text strings.Builder
			fmt.Fprintf(&text, "%s:%d:%d: %s: %s [%s]%s\n", g.name, d.Range.Start.Line, d.Range.Start.Col,
				d.Severity, d.Message, d.Rule, envNote(d, o.Environments))
			excerpt(&text, d, Options{})
			suite.Cases = append(suite.Cases, junitCase{
				Name:      fmt.Sprintf("%s (%s:%d:%d)", d.Rule, g.name, d.Range.Start.Line, d.Range.Start.Col),
				Classname: g.name,
				Failures:  []junitFailure{{Message: d.Message, Type: d.Rule, Text: xmlText(text.String())}},
			})
			suite.Failures++
		}
	}
	if len(suite.Cases) == 0 {
		suite.Cases = []junitCase{{Name: "composelint", Classname: "composelint"}}
	}
	suite.Tests = len(suite.Cases)
	return writeXML(w, junitSuites{Name: "composelint", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}})
}

type fileGroup struct {
	name  string
	diags []lint.Diagnostic
}

// byFile groups diagnostics by the file they are in, in order of first
// appearance (diagnostics come sorted by file).
func byFile(ds []lint.Diagnostic, cwd string) []fileGroup {
	var out []fileGroup
	index := map[string]int{}
	for _, d := range ds {
		name := source.Rel(cwd, d.File.Path)
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			out = append(out, fileGroup{name: name})
		}
		out[i].diags = append(out[i].diags, d)
	}
	return out
}

// xmlText escapes s as XML character data, as encoding/xml does (markup
// escaped, characters XML cannot hold replaced by U+FFFD), but keeps line
// breaks as they are, so that the text of a failure reads as it prints.
func xmlText(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return ""
	}
	return strings.ReplaceAll(b.String(), "&#xA;", "\n")
}

// writeXML writes v as an indented XML document. encoding/xml escapes
// markup, quotes and line breaks in attributes, and replaces characters
// that XML cannot hold.
func writeXML(w io.Writer, v any) error {
	var b strings.Builder
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
