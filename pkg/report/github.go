package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// GitHub prints one GitHub Actions workflow command per diagnostic, which
// the runner turns into an annotation of the file and lines:
//
//	::warning file=docker-compose.yml,line=4,col=1,endLine=4,endColumn=8,title=obsolete-version::`version` is obsolete…
//
// Errors are `error`, warnings `warning`, info `notice`. Columns are given
// only for a one-line range, as GitHub takes them only then.
func GitHub(w io.Writer, ds []lint.Diagnostic, o Options) error {
	var b strings.Builder
	for _, d := range ds {
		props := []string{"file=" + escapeProperty(source.Rel(o.Cwd, d.File.Path))}
		r := d.Range
		if r.Start.Line >= 1 {
			props = append(props, fmt.Sprintf("line=%d", r.Start.Line))
			if r.End.Line == r.Start.Line && r.Start.Col >= 1 {
				props = append(props, fmt.Sprintf("col=%d", r.Start.Col))
			}
			if r.End.Line >= r.Start.Line {
				props = append(props, fmt.Sprintf("endLine=%d", r.End.Line))
				if r.End.Line == r.Start.Line && r.End.Col >= r.Start.Col && r.Start.Col >= 1 {
					props = append(props, fmt.Sprintf("endColumn=%d", r.End.Col))
				}
			}
		}
		props = append(props, "title="+escapeProperty(d.Rule))
		fmt.Fprintf(&b, "::%s %s::%s\n", githubLevel(d.Severity), strings.Join(props, ","),
			escapeData(d.Message+envNote(d, o.Environments)))
	}
	// What was linted, and what discovery missed or guessed: notices on the
	// run (every line a workflow command).
	if line := o.lintedLine(); line != "" {
		fmt.Fprintf(&b, "::notice title=composelint::%s\n", escapeData(line))
	}
	for _, n := range o.Notes {
		fmt.Fprintf(&b, "::notice title=composelint::%s\n", escapeData(o.noteText(n)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func githubLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "notice"
}

// escapeData escapes a workflow command's message as GitHub's toolkit does.
var escapeData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace

// escapeProperty escapes a workflow command's property value, where `:`
// and `,` are separators too.
var escapeProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
