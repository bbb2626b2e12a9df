package report

import (
	"encoding/json"
	"io"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// reviewdog's Diagnostic Format (rdjson): a DiagnosticResult, whose
// positions are 1-based lines and columns counted in UTF-8 bytes, ends
// exclusive. https://github.com/reviewdog/reviewdog/tree/master/proto/rdf

type rdResult struct {
	Source      rdSource `json:"source"`
	Diagnostics []rdDiag `json:"diagnostics"`
}

type rdSource struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type rdDiag struct {
	Message     string         `json:"message"`
	Location    rdLocation     `json:"location"`
	Severity    string         `json:"severity"`
	Code        rdCode         `json:"code"`
	Suggestions []rdSuggestion `json:"suggestions,omitempty"`
}

type rdCode struct {
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
}

type rdLocation struct {
	Path  string  `json:"path"`
	Range rdRange `json:"range"`
}

type rdRange struct {
	Start rdPos `json:"start"`
	End   rdPos `json:"end"`
}

type rdPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

type rdSuggestion struct {
	Range rdRange `json:"range"`
	Text  string  `json:"text"`
}

// RDJSON prints the diagnostics in reviewdog's rdjson format, for
// `reviewdog -f=rdjson`. A fix becomes suggestions when all its edits are
// in the diagnostic's own file (rdjson suggestions name no file).
func RDJSON(w io.Writer, ds []lint.Diagnostic, o Options) error {
	doc := rdResult{Source: rdSource{Name: "composelint", URL: InformationURI}, Diagnostics: []rdDiag{}}
	for _, d := range ds {
		rd := rdDiag{
			Message:  d.Message + envNote(d, o.Environments),
			Severity: rdSeverity(d.Severity),
			Code:     rdCode{Value: d.Rule, URL: lint.DocsURL + "#" + d.Rule},
			Location: rdLocation{Path: source.Rel(o.Cwd, d.File.Path), Range: rdRange{
				Start: rdPosAt(d.File, d.File.Offset(d.Range.Start)),
				End:   rdPosAt(d.File, d.File.Offset(d.Range.End)),
			}},
		}
		for _, f := range d.Fixes {
			rd.Suggestions = append(rd.Suggestions, rdSuggestions(d.File, f)...)
		}
		doc.Diagnostics = append(doc.Diagnostics, rd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// rdSuggestions are a fix's edits, when they all edit file.
func rdSuggestions(file *source.File, f lint.Fix) []rdSuggestion {
	var out []rdSuggestion
	for _, e := range f.Edits {
		if e.File.Path != file.Path {
			return nil
		}
		out = append(out, rdSuggestion{
			Range: rdRange{Start: rdPosAt(e.File, e.Start), End: rdPosAt(e.File, e.End)},
			Text:  source.WithLineEnding(e.NewText, source.LineEnding(e.File.Content)),
		})
	}
	return out
}

// rdPosAt is the rdjson position of a byte offset: its column counts bytes.
func rdPosAt(f *source.File, off int) rdPos {
	line := f.PosOf(off).Line
	start, _ := f.LineBounds(line)
	return rdPos{Line: line, Column: off - start + 1}
}

func rdSeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "ERROR"
	case lint.Warning:
		return "WARNING"
	}
	return "INFO"
}
