package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end"`
}

// GitLab prints the diagnostics as a GitLab Code Quality report (a JSON
// array of Code Climate issues). Each issue's fingerprint identifies the
// finding across commits: it hashes the rule, the file, the text of the
// finding's line and the message, not the line number, so that editing
// other lines does not make GitLab see the finding as fixed and new again.
func GitLab(w io.Writer, ds []lint.Diagnostic, o Options) error {
	issues := []gitlabIssue{}
	fps := newFingerprinter(o.Cwd)
	for _, d := range ds {
		begin := max(d.Range.Start.Line, 1)
		issues = append(issues, gitlabIssue{
			Description: d.Message + envNote(d, o.Environments),
			CheckName:   d.Rule,
			Fingerprint: fps.next(d),
			Severity:    gitlabSeverity(d.Severity),
			Location: gitlabLocation{
				Path:  source.Rel(o.Cwd, d.File.Path),
				Lines: gitlabLines{Begin: begin, End: max(d.Range.End.Line, begin)},
			},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(issues)
}

func gitlabSeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "critical"
	case lint.Warning:
		return "major"
	}
	return "info"
}

// fingerprinter gives each diagnostic of one report a fingerprint that does
// not depend on its line number. Findings that would share one (the same
// rule and message on identical lines of a file) are told apart by their
// order in the file.
type fingerprinter struct {
	cwd  string
	seen map[string]int
}

func newFingerprinter(cwd string) *fingerprinter {
	return &fingerprinter{cwd: cwd, seen: map[string]int{}}
}

func (f *fingerprinter) next(d lint.Diagnostic) string {
	h := sha256.New()
	for _, part := range []string{d.Rule, source.Rel(f.cwd, d.File.Path), fingerprintLine(d), d.Message} {
		fmt.Fprintf(h, "%d:%s\x00", len(part), part)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	f.seen[sum]++
	if n := f.seen[sum]; n > 1 {
		h.Write([]byte(fmt.Sprintf("#%d", n)))
		sum = hex.EncodeToString(h.Sum(nil))
	}
	return sum[:32]
}

// fingerprintLine is the trimmed text of the finding's first line; in a file
// that is not YAML (an env file), with the value of an assignment hidden, so
// that no secret goes into a hash.
func fingerprintLine(d lint.Diagnostic) string {
	line := d.File.Line(d.Range.Start.Line)
	if d.File.Docs == nil && d.File.Err == nil {
		line = maskAssignment(line)
	}
	return strings.TrimSpace(line)
}
