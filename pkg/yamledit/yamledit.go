// Package yamledit builds text edits on YAML files the way a person would
// make them: whole lines, the file's own indentation, comments kept with
// what they describe. It never re-serialises anything.
package yamledit

import (
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// indentOf returns the number of leading spaces of line n.
func indentOf(f *source.File, n int) int {
	text := f.Line(n)
	return len(text) - len(strings.TrimLeft(text, " "))
}

func isBlankOrComment(text string) bool {
	t := strings.TrimSpace(text)
	return t == "" || strings.HasPrefix(t, "#")
}

// keyLastLine returns the last line of the entry of the mapping key at
// (line, col): the lines after it indented deeper belong to it, and so do
// "- " lines at its own indentation when its value is a block sequence
// written there ("key:\n- a"). Trailing blank and comment lines do not.
func keyLastLine(f *source.File, line, col int) int {
	seqAtKeyIndent := strings.HasSuffix(strings.TrimRight(StripComment(f.Line(line)), " \t\r"), ":")
	last := line
	for l := line + 1; l <= f.Lines(); l++ {
		text := f.Line(l)
		if isBlankOrComment(text) {
			continue
		}
		ind := indentOf(f, l)
		if ind < col-1 || (ind == col-1 && !(seqAtKeyIndent && strings.HasPrefix(strings.TrimLeft(text, " "), "- "))) {
			break
		}
		last = l
	}
	return last
}

// itemLastLine returns the last line of the sequence item whose dash is at
// 0-based column dash: the lines after it indented deeper than the dash.
func itemLastLine(f *source.File, line, dash int) int {
	last := line
	for l := line + 1; l <= f.Lines(); l++ {
		text := f.Line(l)
		if isBlankOrComment(text) {
			continue
		}
		if indentOf(f, l) <= dash {
			break
		}
		last = l
	}
	return last
}

// StripComment removes a trailing comment that is outside quotes.
func StripComment(text string) string {
	quote := byte(0)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t'):
			return text[:i]
		}
	}
	return text
}

// KeyLines returns the first and last line of a block mapping entry, from
// its key through its value. With comments, the comment lines directly above
// the key (at its indentation, no blank line between) are included.
func KeyLines(f *source.File, key *yaml.Node, comments bool) (first, last int) {
	return withComments(f, key.Line, key.Column-1, comments), keyLastLine(f, key.Line, key.Column)
}

// ItemLines is KeyLines for an item of a block sequence.
func ItemLines(f *source.File, item *yaml.Node, comments bool) (first, last int) {
	dash := DashColumn(f, item)
	return withComments(f, item.Line, dash, comments), itemLastLine(f, item.Line, dash)
}

func withComments(f *source.File, line, indent int, comments bool) int {
	first := line
	if !comments {
		return first
	}
	for l := first - 1; l >= 1; l-- {
		if !strings.HasPrefix(strings.TrimSpace(f.Line(l)), "#") || indentOf(f, l) != indent {
			break
		}
		first = l
	}
	return first
}

// DashColumn returns the 0-based column of the "-" in front of a sequence item.
func DashColumn(f *source.File, item *yaml.Node) int {
	line := f.Line(item.Line)
	if d := strings.LastIndex(line[:byteCol(line, item.Column-1)], "-"); d >= 0 {
		return utf8.RuneCountInString(line[:d])
	}
	return max(item.Column-3, 0)
}

// Range returns the bytes of lines first..last: from the start of the first
// to past the line ending of the last.
func Range(f *source.File, first, last int) (start, end int) {
	start, _ = f.LineBounds(first)
	_, end = f.LineBounds(last)
	return start, end
}

// Text returns the bytes of lines first..last.
func Text(f *source.File, first, last int) string {
	start, _ := f.LineBounds(first)
	_, end := f.LineBounds(last)
	return string(f.Content[start:end])
}

// DeleteKey removes a block mapping entry (with its comments above when asked).
func DeleteKey(f *source.File, key *yaml.Node, comments bool) lint.TextEdit {
	first, last := KeyLines(f, key, comments)
	start, end := Range(f, first, last)
	return lint.TextEdit{File: f, Start: start, End: end}
}

// DeleteItem removes a block sequence item (with its comments above when asked).
func DeleteItem(f *source.File, item *yaml.Node, comments bool) lint.TextEdit {
	first, last := ItemLines(f, item, comments)
	start, end := Range(f, first, last)
	return lint.TextEdit{File: f, Start: start, End: end}
}

// byteCol converts a 0-based character column of line to a byte index.
func byteCol(line string, col int) int {
	i := 0
	for n := 0; n < col && i < len(line); n++ {
		_, size := utf8.DecodeRuneInString(line[i:])
		i += size
	}
	return i
}

// AppendItem adds "- text" after the last item of a block sequence, at the
// items' indentation.
func AppendItem(f *source.File, seq *yaml.Node, text string) lint.TextEdit {
	last := seq.Content[len(seq.Content)-1]
	dash := DashColumn(f, last)
	_, end := ItemLines(f, last, false)
	_, off := f.LineBounds(end)
	prefix := ""
	if off > 0 && f.Content[off-1] != '\n' {
		prefix = "\n"
	}
	return lint.TextEdit{File: f, Start: off, End: off, NewText: prefix + strings.Repeat(" ", dash) + "- " + text + "\n"}
}

// AppendKey adds lines "key: value" (text, already formatted, may span
// lines, without indentation) at the end of a block mapping, at its keys'
// indentation.
func AppendKey(f *source.File, m *yaml.Node, text string) lint.TextEdit {
	ind := m.Content[0].Column - 1
	lastKey := m.Content[len(m.Content)-2]
	_, end := KeyLines(f, lastKey, false)
	_, off := f.LineBounds(end)
	prefix := ""
	if off > 0 && f.Content[off-1] != '\n' {
		prefix = "\n"
	}
	var b strings.Builder
	b.WriteString(prefix)
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if line != "" {
			b.WriteString(strings.Repeat(" ", ind))
		}
		b.WriteString(line + "\n")
	}
	return lint.TextEdit{File: f, Start: off, End: off, NewText: b.String()}
}

// Reindent shifts every non-blank line of text by delta spaces (negative:
// to the left, never past column 0).
func Reindent(text string, delta int) string {
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		body := strings.TrimRight(l, "\r\n")
		if strings.TrimSpace(body) == "" || delta == 0 {
			b.WriteString(l)
			continue
		}
		if delta > 0 {
			b.WriteString(strings.Repeat(" ", delta) + l)
			continue
		}
		cut := min(-delta, len(body)-len(strings.TrimLeft(body, " ")))
		b.WriteString(l[cut:])
	}
	return b.String()
}
