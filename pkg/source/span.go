package source

import (
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// Span returns the range a diagnostic about node n should underline: the
// node's own text, after any `!tag` and `&anchor` in front of it, up to its
// end on the line where it starts. Mappings and sequences span their first
// line only, so that a caret stays readable.
func (f *File) Span(n *yaml.Node) Range {
	if n == nil {
		return Range{Pos{1, 1}, Pos{1, 1}}
	}
	start := f.clamp(Pos{n.Line, n.Column})
	off := f.Offset(start)
	off = f.skipProperties(off)
	end := f.scalarEnd(n, off)
	return Range{Start: f.PosOf(off), End: f.PosOf(end)}
}

// KeyValueSpan spans from a mapping key to the end of its value's first line.
func (f *File) KeyValueSpan(key, value *yaml.Node) Range {
	r := f.Span(key)
	if value != nil && (value.Kind == yaml.ScalarNode || value.Kind == yaml.AliasNode) && value.Line == key.Line {
		if v := f.Span(value); v.End.Line == r.Start.Line && v.End.Col > r.End.Col {
			r.End = v.End
		}
	}
	return r
}

// skipProperties moves past `!tag` and `&anchor` tokens and the blanks after them.
func (f *File) skipProperties(off int) int {
	c := f.Content
	for off < len(c) && (c[off] == '!' || c[off] == '&') {
		for off < len(c) && !isBlank(c[off]) && c[off] != '\n' {
			off++
		}
		for off < len(c) && isBlank(c[off]) {
			off++
		}
	}
	return off
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' }

// scalarEnd finds where the node's text that starts at off ends, staying on
// that line.
func (f *File) scalarEnd(n *yaml.Node, off int) int {
	c := f.Content
	eol := off
	for eol < len(c) && c[eol] != '\n' && c[eol] != '\r' {
		eol++
	}
	if off >= eol {
		return off
	}
	switch {
	case n.Kind == yaml.ScalarNode && n.Style&yaml.DoubleQuotedStyle != 0 && c[off] == '"':
		for i := off + 1; i < eol; i++ {
			if c[i] == '\\' {
				i++
				continue
			}
			if c[i] == '"' {
				return i + 1
			}
		}
		return eol
	case n.Kind == yaml.ScalarNode && n.Style&yaml.SingleQuotedStyle != 0 && c[off] == '\'':
		for i := off + 1; i < eol; i++ {
			if c[i] == '\'' {
				if i+1 < eol && c[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return eol
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return eol
	case n.Kind == yaml.ScalarNode || n.Kind == yaml.AliasNode:
		// Plain scalar: up to a comment, a `: ` that ends a key, or, inside a
		// flow collection, a flow indicator.
		flow := n.Style&yaml.FlowStyle != 0 || f.inFlow(off)
		end := off
		for i := off; i < eol; i++ {
			b := c[i]
			if b == '#' && i > off && isBlank(c[i-1]) {
				break
			}
			if b == ':' && (i+1 == eol || isBlank(c[i+1])) {
				break
			}
			if flow && (b == ',' || b == ']' || b == '}') {
				break
			}
			if !isBlank(b) {
				end = i + 1
			}
		}
		return end
	default:
		// Mapping or sequence: the rest of the first line, without a comment.
		end := off
		for i := off; i < eol; i++ {
			if c[i] == '#' && i > off && isBlank(c[i-1]) {
				break
			}
			if !isBlank(c[i]) {
				end = i + 1
			}
		}
		return end
	}
}

// inFlow reports whether off sits inside a flow collection on its line; a
// cheap look back that is enough to end a plain scalar at `,`, `]` or `}`.
func (f *File) inFlow(off int) bool {
	depth := 0
	lineStart := off
	for lineStart > 0 && f.Content[lineStart-1] != '\n' {
		lineStart--
	}
	quote := byte(0)
	for i := lineStart; i < off; i++ {
		b := f.Content[i]
		switch {
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '[' || b == '{':
			depth++
		case b == ']' || b == '}':
			depth--
		case b == '#' && i > lineStart && isBlank(f.Content[i-1]):
			return false
		}
	}
	return depth > 0
}

// LineRange spans the text of line n without its indentation.
func (f *File) LineRange(n int) Range {
	p := f.clamp(Pos{Line: n, Col: 1})
	text := f.Line(p.Line)
	start := len(text) - len(strings.TrimLeft(text, " \t"))
	trimmed := strings.TrimRight(text, " \t")
	return Range{
		Start: Pos{Line: p.Line, Col: utf8.RuneCountInString(text[:start]) + 1},
		End:   Pos{Line: p.Line, Col: utf8.RuneCountInString(trimmed) + 1},
	}
}
