package pysettings

import (
	"strings"
	"unicode"
)

type tokenKind int

const (
	tOp tokenKind = iota
	tName
	tNumber
	tString
)

// token is one Python token; line and col are 1-based, col in characters.
type token struct {
	kind      tokenKind
	text      string
	line, col int
	newline   bool // a logical line ends after this token
	indent    int  // the first token of a statement: the column its logical line starts at
}

// tokenize splits Python source into tokens, marking where logical lines
// end: at a line break outside brackets that is not escaped with a
// backslash. Comments are dropped.
func tokenize(src string) []token {
	var out []token
	rs := []rune(src)
	line, col := 1, 1
	depth := 0
	endLine := func() {
		if depth == 0 && len(out) > 0 {
			out[len(out)-1].newline = true
		}
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '\n':
			endLine()
			line, col = line+1, 1
			i++
			continue
		case r == '\\' && i+1 < len(rs) && (rs[i+1] == '\n' || rs[i+1] == '\r'):
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			i++
			line, col = line+1, 1
			continue
		case r == ' ' || r == '\t' || r == '\r' || r == '\f':
			i, col = i+1, col+1
			continue
		case r == '#':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			continue
		}
		start, startLine, startCol := i, line, col
		kind := tOp
		switch {
		case isStringStart(rs, i):
			kind = tString
			i, line, col = scanString(rs, i, line, col)
		case r == '_' || unicode.IsLetter(r):
			kind = tName
			for i < len(rs) && (rs[i] == '_' || unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i])) {
				i, col = i+1, col+1
			}
		case unicode.IsDigit(r) || (r == '.' && i+1 < len(rs) && unicode.IsDigit(rs[i+1])):
			kind = tNumber
			for i < len(rs) && (unicode.IsDigit(rs[i]) || unicode.IsLetter(rs[i]) || rs[i] == '.' || rs[i] == '_') {
				i, col = i+1, col+1
			}
		default:
			n := 1
			for _, op := range []string{"**=", "//=", ">>=", "<<=", "...", "->", ":=", "==", "!=", "<=", ">=", "**", "//", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "<<", ">>"} {
				if strings.HasPrefix(string(rs[i:min(i+3, len(rs))]), op) {
					n = len([]rune(op))
					break
				}
			}
			switch r {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				if depth > 0 {
					depth--
				}
			}
			i, col = i+n, col+n
		}
		out = append(out, token{kind: kind, text: string(rs[start:i]), line: startLine, col: startCol})
	}
	endLine()
	return out
}

// isStringStart tells whether a string literal (with its prefix) starts at i.
func isStringStart(rs []rune, i int) bool {
	j := i
	for j < len(rs) && j-i < 3 && strings.ContainsRune("rRbBuUfF", rs[j]) {
		j++
	}
	if j >= len(rs) || (rs[j] != '"' && rs[j] != '\'') {
		return false
	}
	// a prefix must not be the end of a longer name
	return i == 0 || !(rs[i-1] == '_' || unicode.IsLetter(rs[i-1]) || unicode.IsDigit(rs[i-1])) || j == i
}

// logicalLines groups tokens into logical lines.
func logicalLines(toks []token) [][]token {
	var out [][]token
	var cur []token
	for _, t := range toks {
		cur = append(cur, t)
		if t.newline {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	// `x = 1; y = 2`: statements separated by semicolons
	var split [][]token
	for _, l := range out {
		start := 0
		add := func(part []token) {
			part = append([]token(nil), part...)
			part[0].indent = l[0].col
			split = append(split, part)
		}
		for i, t := range l {
			if t.text == ";" {
				if i > start {
					add(l[start:i])
				}
				start = i + 1
			}
		}
		if start < len(l) {
			add(l[start:])
		}
	}
	return split
}

// scanString reads the string literal at rs[i] (its prefix, quotes, triple
// quotes and escapes) and returns where it ends; a one-line string left
// unterminated ends at the line.
func scanString(rs []rune, i, line, col int) (int, int, int) {
	for rs[i] != '"' && rs[i] != '\'' { // prefix
		i, col = i+1, col+1
	}
	q := rs[i]
	triple := i+2 < len(rs) && rs[i+1] == q && rs[i+2] == q
	if triple {
		i, col = i+3, col+3
	} else {
		i, col = i+1, col+1
	}
	for i < len(rs) {
		c := rs[i]
		if c == '\\' && i+1 < len(rs) {
			if rs[i+1] == '\n' {
				line, col = line+1, 0
			}
			i, col = i+2, col+2
			continue
		}
		if c == '\n' {
			if !triple {
				break // unterminated: ends at the line
			}
			line, col = line+1, 0
		}
		if c == q && (!triple || (i+2 < len(rs) && rs[i+1] == q && rs[i+2] == q)) {
			if triple {
				i, col = i+3, col+3
			} else {
				i, col = i+1, col+1
			}
			break
		}
		i, col = i+1, col+1
	}
	return i, line, col
}
