// Package report prints diagnostics: as a compiler does for people, and in
// the formats of tools (JSON, SARIF, GitHub workflow commands, Checkstyle,
// JUnit, GitLab Code Quality). It knows nothing of rules beyond what the
// lint.Rule values in Options say.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// Options shape the output.
type Options struct {
	// Cwd makes file names relative when they lie below it.
	Cwd   string
	Color bool
	// Quiet prints the diagnostics without source excerpts or summary.
	Quiet bool
	// Environments are all environment names that were linted.
	Environments []string
	// Linted are the environments that were linted, with their files, and
	// Notes what project discovery guessed or missed: the summary says both.
	Linted []Environment
	Notes  []Note
	// Applied are the findings whose fix --fix applied, each with that fix,
	// positioned as before it: the summary counts them, and the JSON report
	// lists them ("fixed": true) so that a tool can tell what changed which
	// file.
	Applied []lint.Diagnostic
	// Rules are the rules of the engine, described by the SARIF report.
	Rules []*lint.Rule
	// ToolVersion is composelint's version, named by the SARIF report.
	ToolVersion string
	// Files are the files linted (absolute paths); the JUnit report has a
	// passing test case for each one without findings. Optional.
	Files []string
}

const (
	bold   = "\x1b[1m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	blue   = "\x1b[34m"
	cyan   = "\x1b[36m"
	green  = "\x1b[32m"
	reset  = "\x1b[0m"
)

func (o Options) paint(code, s string) string {
	if !o.Color {
		return s
	}
	return code + s + reset
}

func sevColor(s lint.Severity) string {
	switch s {
	case lint.Error:
		return red
	case lint.Warning:
		return yellow
	}
	return blue
}

// Text prints diagnostics as `file:line:col: severity: message [rule]`, each
// followed by its source line and a caret under the span, then a summary.
func Text(w io.Writer, ds []lint.Diagnostic, o Options) error {
	var b strings.Builder
	files := map[string]bool{}
	counts := map[lint.Severity]int{}
	for _, d := range ds {
		files[d.File.Path] = true
		counts[d.Severity]++
		fmt.Fprintf(&b, "%s: %s: %s %s%s\n",
			o.paint(bold, fmt.Sprintf("%s:%d:%d", source.Rel(o.Cwd, d.File.Path), d.Range.Start.Line, d.Range.Start.Col)),
			o.paint(bold+sevColor(d.Severity), d.Severity.String()),
			d.Message,
			o.paint(cyan, "["+d.Rule+"]"),
			envNote(d, o.Environments))
		if !o.Quiet {
			excerpt(&b, d, o)
		}
	}
	if !o.Quiet {
		if len(o.Applied) > 0 {
			fmt.Fprintf(&b, "fixed %s\n", plural(len(o.Applied), "problem"))
		}
		if line := o.lintedLine(); line != "" {
			b.WriteString(line + "\n")
		}
		for _, n := range o.Notes {
			b.WriteString(o.paint(bold, "note:") + " " + o.noteText(n) + "\n")
		}
		b.WriteString(summary(counts, len(files)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// envNote names the environments of a finding when it is not in all of them.
func envNote(d lint.Diagnostic, all []string) string {
	if len(all) < 2 || len(d.Environments) == 0 || len(d.Environments) == len(all) {
		return ""
	}
	return " (" + strings.Join(d.Environments, ", ") + ")"
}

func excerpt(b *strings.Builder, d lint.Diagnostic, o Options) {
	line := d.File.Line(d.Range.Start.Line)
	if line == "" && d.File.Lines() == 0 {
		return
	}
	if !utf8.ValidString(line) {
		return
	}
	num := fmt.Sprint(d.Range.Start.Line)
	pad := strings.Repeat(" ", len(num))
	text := strings.ReplaceAll(line, "\t", " ")
	if d.File.Docs == nil && d.File.Err == nil {
		// Not a compose file: an env file's values may be secrets.
		text = maskAssignment(text)
	}
	start := d.Range.Start.Col
	end := d.Range.End.Col
	if d.Range.End.Line != d.Range.Start.Line {
		end = utf8.RuneCountInString(line) + 1
	}
	text, start, end = window(text, start, end)
	fmt.Fprintf(b, " %s %s %s\n", o.paint(blue, num), o.paint(blue, "|"), text)
	width := max(end-start, 1)
	fmt.Fprintf(b, " %s %s %s%s\n", pad, o.paint(blue, "|"), strings.Repeat(" ", max(start-1, 0)), o.paint(bold+sevColor(d.Severity), strings.Repeat("^", width)))
}

// maxExcerpt is the most characters of a line an excerpt shows.
const maxExcerpt = 160

// window cuts a long line (a minified or binary file) to maxExcerpt
// characters around the finding's start column, marked with "…", and
// moves the columns with it.
func window(text string, start, end int) (string, int, int) {
	runes := []rune(text)
	if len(runes) <= maxExcerpt {
		return text, start, end
	}
	from := min(max(start-1-maxExcerpt/4, 0), len(runes)-maxExcerpt)
	to := from + maxExcerpt
	out, shift := string(runes[from:to]), from
	if from > 0 {
		out, shift = "…"+out, from-1
	}
	if to < len(runes) {
		out += "…"
	}
	return out, start - shift, min(end-shift, maxExcerpt+2)
}

var assignmentRE = regexp.MustCompile(`^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.\-]*\s*=)(.*)$`)

// maskAssignment hides the value of a KEY=VALUE line.
func maskAssignment(line string) string {
	if m := assignmentRE.FindStringSubmatch(line); m != nil && m[2] != "" {
		return m[1] + "…"
	}
	return line
}

func summary(counts map[lint.Severity]int, files int) string {
	total := counts[lint.Error] + counts[lint.Warning] + counts[lint.Info]
	if total == 0 {
		return "no problems found\n"
	}
	return fmt.Sprintf("%s (%s, %s, %s) in %s\n",
		plural(total, "problem"), plural(counts[lint.Error], "error"), plural(counts[lint.Warning], "warning"),
		plural(counts[lint.Info], "info"), plural(files, "file"))
}

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// JSON document of the contract in DESIGN.md.
type jsonDoc struct {
	Version int `json:"version"`
	// Environments are those linted, Notes what discovery guessed or missed.
	Environments []jsonEnvironment `json:"environments"`
	Notes        []jsonNote        `json:"notes"`
	Diagnostics  []jsonDiag        `json:"diagnostics"`
}

type jsonDiag struct {
	Rule         string    `json:"rule"`
	Severity     string    `json:"severity"`
	Message      string    `json:"message"`
	File         string    `json:"file"`
	Line         int       `json:"line"`
	Column       int       `json:"column"`
	EndLine      int       `json:"end_line"`
	EndColumn    int       `json:"end_column"`
	Environments []string  `json:"environments"`
	Fixes        []jsonFix `json:"fixes"`
	// Fixed marks a finding that --fix fixed (Options.Applied).
	Fixed bool `json:"fixed,omitempty"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Safety  string     `json:"safety"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	NewText   string `json:"new_text"`
}

// JSON prints the diagnostics as one JSON object.
func JSON(w io.Writer, ds []lint.Diagnostic, o Options) error {
	doc := jsonDoc{Version: 1, Environments: o.jsonEnvironments(), Notes: o.jsonNotes(), Diagnostics: []jsonDiag{}}
	for _, d := range ds {
		doc.Diagnostics = append(doc.Diagnostics, o.jsonDiag(d))
	}
	for _, d := range o.Applied {
		jd := o.jsonDiag(d)
		jd.Fixed = true
		doc.Diagnostics = append(doc.Diagnostics, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// jsonDiag is one finding as the JSON report writes it.
func (o Options) jsonDiag(d lint.Diagnostic) jsonDiag {
	jd := jsonDiag{
		Rule: d.Rule, Severity: d.Severity.String(), Message: d.Message,
		File: source.Rel(o.Cwd, d.File.Path), Line: d.Range.Start.Line, Column: d.Range.Start.Col,
		EndLine: d.Range.End.Line, EndColumn: d.Range.End.Col,
		Environments: append([]string{}, d.Environments...), Fixes: []jsonFix{},
	}
	for _, f := range d.Fixes {
		jf := jsonFix{Message: f.Message, Safety: string(f.Safety), Edits: []jsonEdit{}}
		for _, e := range f.Edits {
			s, en := e.File.PosOf(e.Start), e.File.PosOf(e.End)
			jf.Edits = append(jf.Edits, jsonEdit{File: source.Rel(o.Cwd, e.File.Path), Line: s.Line, Column: s.Col, EndLine: en.Line, EndColumn: en.Col, NewText: e.NewText})
		}
		jd.Fixes = append(jd.Fixes, jf)
	}
	return jd
}

// IsTerminal reports whether f is a terminal (a character device).
func IsTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
