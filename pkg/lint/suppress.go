package lint

import (
	"regexp"
	"strings"

	"github.com/composelint/composelint/pkg/source"
)

// InvalidDirective is the rule that reports a suppression comment naming an
// unknown rule.
const InvalidDirective = "invalid-directive"

var directiveRE = regexp.MustCompile(`(?:^|\s)#\s*composelint-disable(-line|-next-line|-file)?\b[ \t]*([A-Za-z0-9_,\- \t]*)`)

// suppressions are the `# composelint-disable…` comments of one file.
type suppressions struct {
	file  map[string]bool         // rule IDs ("*" for all) disabled in the whole file
	lines map[int]map[string]bool // line -> rule IDs disabled on it
	bad   []Diagnostic            // directives naming unknown rules
}

func (s *suppressions) suppressed(d Diagnostic) bool {
	if s.file["*"] || s.file[d.Rule] {
		return true
	}
	ids := s.lines[d.Range.Start.Line]
	return ids["*"] || ids[d.Rule]
}

// parseSuppressions reads the directives of f. known tells which IDs exist.
func parseSuppressions(f *source.File, known func(string) bool) *suppressions {
	s := &suppressions{file: map[string]bool{}, lines: map[int]map[string]bool{}}
	if !strings.Contains(string(f.Content), "composelint-disable") {
		return s
	}
	for line := 1; line <= f.Lines(); line++ {
		text := f.Line(line)
		m := directiveRE.FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		kind := ""
		if m[2] >= 0 {
			kind = text[m[2]:m[3]]
		}
		ids := map[string]bool{}
		list := strings.TrimSpace(text[m[4]:m[5]])
		if list == "" {
			ids["*"] = true
		}
		for _, id := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			if !known(id) {
				start := strings.Index(text[m[4]:], id) + m[4]
				c := len([]rune(text[:start])) + 1
				s.bad = append(s.bad, Diagnostic{
					Rule: InvalidDirective, Severity: Warning, File: f,
					Range:   source.Range{Start: source.Pos{Line: line, Col: c}, End: source.Pos{Line: line, Col: c + len([]rune(id))}},
					Message: "unknown rule " + quote(id) + " in composelint-disable comment (see `composelint rules`)",
				})
				continue
			}
			ids[id] = true
		}
		switch kind {
		case "-file":
			for id := range ids {
				s.file[id] = true
			}
		case "-next-line":
			s.add(line+1, ids)
		default:
			// `-line` and a bare `composelint-disable` apply to their own line.
			s.add(line, ids)
		}
	}
	return s
}

func (s *suppressions) add(line int, ids map[string]bool) {
	if s.lines[line] == nil {
		s.lines[line] = map[string]bool{}
	}
	for id := range ids {
		s.lines[line][id] = true
	}
}

func quote(s string) string { return "\"" + s + "\"" }
