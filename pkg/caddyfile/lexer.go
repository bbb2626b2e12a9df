// Package caddyfile reads Caddyfiles: tokens with their byte ranges, the
// lines and blocks they form (Read), and the server blocks Caddy's parser
// makes of them, snippets expanded (Parse).
//
// It reads the grammar of Caddy v2's caddyconfig/caddyfile package
// (Apache-2.0, Copyright 2015 Matthew Holt and The Caddy Authors) without
// linking Caddy: quotes, backticks, heredocs, escaped line breaks,
// comments, {$ENV} placeholders, blocks, snippets, named routes and
// `import` with arguments. It reports the errors Caddy reports, with the
// same messages and lines. tools/caddycheck holds it to Caddy's own parser
// on real Caddyfiles. Unlike Caddy it never reads a file: importing one is
// left to the caller (ParseOptions.ImportFile).
package caddyfile

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word of a Caddyfile.
type Token struct {
	// Text is the token's value: without its quotes, escapes resolved the
	// way Caddy resolves them, a heredoc's indentation removed.
	Text string
	// Quote is '"' or '`' for a quoted token, '<' for a heredoc, else 0.
	Quote rune
	// Line is the line Caddy gives the token: a line break escaped with a
	// backslash is counted only at the next line break that is not, so
	// the arguments of a continued line share their directive's line.
	Line int
	// Offset and End delimit the token as written in the input (quotes,
	// escapes and heredoc markers included).
	Offset, End int
	// heredocMarker is a heredoc's closing marker.
	heredocMarker string
}

// Quoted reports whether the token was written in quotes, backticks or a
// heredoc: such a token is never a brace or a directive keyword.
func (t Token) Quoted() bool { return t.Quote != 0 }

// LineBreaks counts the line breaks the token spans, as Caddy counts them
// to tell whether the next token starts a new line.
func (t Token) LineBreaks() int {
	n := strings.Count(t.Text, "\n")
	if t.Quote == '<' {
		// The opening marker's line and the closing marker's line are not
		// part of the text.
		n += 2
	}
	return n
}

// OpenBrace and CloseBrace report whether the token is a structural brace.
func (t Token) OpenBrace() bool  { return t.Text == "{" && t.Quote == 0 }
func (t Token) CloseBrace() bool { return t.Text == "}" && t.Quote == 0 }

// Error is a Caddyfile that Caddy would refuse, located at a line as
// Caddy locates it.
type Error struct {
	Line int
	Msg  string
	// Imports is the chain of imports the offending token came through
	// ("12 (import snippet)"), innermost last; empty for a token written
	// where it stands.
	Imports []string
	// Import is the file or glob of an `import` Parse did not read (it
	// reads no file); empty for an error in the Caddyfile itself.
	Import string
}

func (e *Error) Error() string {
	if len(e.Imports) > 0 {
		return fmt.Sprintf("%s, at line %d import chain %s", e.Msg, e.Line, strings.Join(e.Imports, ", "))
	}
	return fmt.Sprintf("%s, at line %d", e.Msg, e.Line)
}

// Tokenize splits a Caddyfile into tokens. A leading byte order mark is
// skipped; an empty input has no tokens. The error is an *Error.
func Tokenize(src []byte) ([]Token, error) {
	l := lexer{src: src, line: 1}
	if r, n := utf8.DecodeRune(src); r == 0xFEFF {
		l.pos = n
	}
	var out []Token
	for {
		t, ok, err := l.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		out = append(out, t)
	}
}

type lexer struct {
	src     []byte
	pos     int
	line    int
	skipped int // escaped line breaks (and heredoc lines) not yet counted in line
}

// tokenState is what next knows about the token being read.
type tokenState struct {
	val                                                   []rune
	comment, quoted, backtick, heredoc, noHeredoc, escape bool
	escapeAt                                              int // offset of a pending backslash
	marker                                                string
	prefix                                                []int // KMP table of the marker
	matched                                               int
}

// quotedRune adds ch to a quoted or backticked token; true when ch closes it.
func (l *lexer) quotedRune(s *tokenState, ch rune) bool {
	if s.quoted && s.escape {
		// Inside quotes only a quote can be escaped.
		if ch != '"' {
			s.val = append(s.val, '\\')
		}
		s.escape = false
	} else if (s.quoted && ch == '"') || (s.backtick && ch == '`') {
		return true
	}
	if ch == '\n' {
		l.line += 1 + l.skipped
		l.skipped = 0
	}
	s.val = append(s.val, ch)
	return false
}

// space counts a line break (an escaped one joins the lines) and tells
// whether the white space ends the token being read.
func (l *lexer) space(s *tokenState, ch rune) bool {
	if ch == '\r' {
		return false
	}
	if ch == '\n' {
		if s.escape {
			l.skipped++
			s.escape = false
		} else {
			l.line += 1 + l.skipped
			l.skipped = 0
		}
		s.comment = false
	}
	return len(s.val) > 0
}

// next reads the next token; ok is false at the end of the input.
func (l *lexer) next() (tok Token, ok bool, err error) {
	var s tokenState
	tok = Token{Line: l.line}
	done := func(quote rune, end int) (Token, bool, error) {
		tok.Text, tok.Quote, tok.End, tok.heredocMarker = string(s.val), quote, end, s.marker
		return tok, true, nil
	}
	for {
		if l.pos >= len(l.src) {
			if len(s.val) == 0 {
				return Token{}, false, nil
			}
			if s.heredoc {
				return Token{}, false, &Error{Line: l.line + l.skipped, Msg: fmt.Sprintf(
					"incomplete heredoc <<%s on line #%d, expected ending marker %s", s.marker, l.line+l.skipped, s.marker)}
			}
			return done(0, len(l.src))
		}
		at := l.pos
		ch, n := utf8.DecodeRune(l.src[l.pos:])
		l.pos += n

		if !s.quoted && !s.backtick && !s.heredoc && !s.noHeredoc && len(s.val) > 1 && s.val[0] == '<' && s.val[1] == '<' {
			t, ok, err, cont := l.heredocOpening(&s, ch, at, done)
			if !cont {
				return t, ok, err
			}
			continue
		}
		if s.heredoc {
			if t, ok, err, fin := l.heredocBody(&s, ch, done); fin {
				return t, ok, err
			}
			continue
		}
		if !s.escape && !s.backtick && ch == '\\' {
			s.escape, s.escapeAt = true, at
			continue
		}
		if s.quoted || s.backtick {
			if l.quotedRune(&s, ch) {
				return done(ch, l.pos)
			}
			continue
		}
		if unicode.IsSpace(ch) {
			if l.space(&s, ch) {
				return done(0, at)
			}
			continue
		}
		if ch == '#' && len(s.val) == 0 {
			s.comment = true
		}
		if s.comment {
			continue
		}
		if len(s.val) == 0 {
			tok = Token{Line: l.line, Offset: at}
			if s.escape {
				tok.Offset = s.escapeAt
			}
			if ch == '"' {
				s.quoted = true
				continue
			}
			if ch == '`' {
				s.backtick = true
				continue
			}
		}
		if s.escape {
			// An escaped first "<" writes a token that starts with "<<"
			// without opening a heredoc.
			if ch == '<' {
				s.noHeredoc = true
			} else {
				s.val = append(s.val, '\\')
			}
			s.escape = false
		}
		s.val = append(s.val, ch)
	}
}

// heredocOpening reads the marker after "<<" up to its line break. cont is
// true while the lexer should go on reading.
func (l *lexer) heredocOpening(s *tokenState, ch rune, at int, done func(rune, int) (Token, bool, error)) (Token, bool, error, bool) {
	switch ch {
	case ' ':
		t, ok, err := done(0, at) // "<< x": a plain token
		return t, ok, err, false
	case '\r':
		return Token{}, false, nil, true
	case '\n':
	default:
		s.val = append(s.val, ch)
		return Token{}, false, nil, true
	}
	if len(s.val) == 2 {
		return Token{}, false, &Error{Line: l.line, Msg: fmt.Sprintf("missing opening heredoc marker on line #%d; must contain only alphanumeric characters, dashes and underscores; got empty string", l.line)}, false
	}
	if s.val[2] == '<' {
		return Token{}, false, &Error{Line: l.line, Msg: fmt.Sprintf("too many '<' for heredoc on line #%d; only use two, for example <<END", l.line)}, false
	}
	s.marker = string(s.val[2:])
	if !heredocMarker(s.marker) {
		return Token{}, false, &Error{Line: l.line, Msg: fmt.Sprintf("heredoc marker on line #%d must contain only alphanumeric characters, dashes and underscores; got '%s'", l.line, s.marker)}, false
	}
	s.prefix = kmpTable(s.marker)
	s.heredoc = true
	l.skipped++
	s.val = nil
	return Token{}, false, nil, true
}

// heredocBody takes one character of a heredoc; fin is true when the
// closing marker completed the token (or made it an error).
func (l *lexer) heredocBody(s *tokenState, ch rune, done func(rune, int) (Token, bool, error)) (Token, bool, error, bool) {
	s.val = append(s.val, ch)
	if ch == '\n' {
		l.skipped++
	}
	for s.matched > 0 && ch != rune(s.marker[s.matched]) {
		s.matched = s.prefix[s.matched-1]
	}
	if ch == rune(s.marker[s.matched]) {
		s.matched++
	}
	if s.matched < len(s.marker) {
		return Token{}, false, nil, false
	}
	text, err := l.heredocText(string(s.val), s.marker)
	if err != nil {
		return Token{}, false, err, true
	}
	s.val = []rune(text)
	l.line += l.skipped
	l.skipped = 0
	t, ok, err := done('<', l.pos)
	return t, ok, err, true
}

// heredocText removes from every line of a heredoc the indentation of its
// closing marker, and the marker line itself.
func (l *lexer) heredocText(val, marker string) (string, error) {
	last := strings.LastIndex(val, "\n")
	lines := strings.Split(val[:last+1], "\n")
	pad := val[last+1 : len(val)-len(marker)]
	var out strings.Builder
	for i, line := range lines[:len(lines)-1] {
		if line == "" || line == "\r" {
			out.WriteString("\n")
			continue
		}
		if strings.Index(line, pad) != 0 {
			return "", &Error{Line: l.line + i + 1, Msg: fmt.Sprintf("mismatched leading whitespace in heredoc <<%s on line #%d [%s], expected whitespace [%s] to match the closing marker",
				marker, l.line+i+1, strings.TrimRight(line, "\r\n"), pad)}
		}
		out.WriteString(strings.ReplaceAll(line[len(pad):]+"\n", "\r", ""))
	}
	return strings.TrimSuffix(out.String(), "\n"), nil
}

func kmpTable(marker string) []int {
	t := make([]int, len(marker))
	for i, m := 1, 0; i < len(marker); i++ {
		for m > 0 && marker[i] != marker[m] {
			m = t[m-1]
		}
		if marker[i] == marker[m] {
			m++
		}
		t[i] = m
	}
	return t
}

// heredocMarker reports whether s is a valid heredoc marker: ASCII
// letters, digits, dashes and underscores.
func heredocMarker(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
