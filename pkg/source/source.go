// Package source holds the bytes of a project's files, their YAML node trees,
// and the conversion between YAML positions (line, column in characters) and
// byte offsets that diagnostics and fixes need.
package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// MaxFileSize is the largest file composelint parses. Compose files are a few
// kilobytes; anything this large is a mistake or an attack.
const MaxFileSize = 8 << 20

// Pos is a 1-based line and column; columns count characters, as yaml/v4 does.
type Pos struct {
	Line, Col int
}

// Range is a half-open span [Start, End) in one file.
type Range struct {
	Start, End Pos
}

// File is one file of a project: its bytes, and, for YAML files, its parsed
// documents. A file that failed to parse has Err set and no Docs.
type File struct {
	Path    string // absolute, cleaned
	Content []byte
	// Docs holds the root node (usually a mapping) of each YAML document.
	Docs []*yaml.Node
	Err  *SyntaxError

	lineStarts []int
}

// SyntaxError is why a file could not be parsed, and where.
type SyntaxError struct {
	Pos Pos
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
}

// bom is the UTF-8 byte order mark some editors put at the start of a file.
var bom = []byte{0xEF, 0xBB, 0xBF}

// New wraps content without parsing it (Caddyfiles, env files, scripts).
// A byte order mark is no character: line 1 starts after it, so that
// columns agree with the YAML parser's and no edit can remove it.
func New(path string, content []byte) *File {
	f := &File{Path: path, Content: content}
	start := 0
	if bytes.HasPrefix(content, bom) {
		start = len(bom)
	}
	f.lineStarts = append(f.lineStarts, start)
	for i, b := range content {
		if b == '\n' {
			f.lineStarts = append(f.lineStarts, i+1)
		}
	}
	return f
}

// ParseYAML wraps content and parses every YAML document in it.
func ParseYAML(path string, content []byte) *File {
	f := New(path, content)
	f.parse()
	return f
}

// WithoutNodes returns a copy of f without its YAML trees: what reports
// read of a file (its path, bytes, lines, whether it is YAML) outlives the
// project it came from, and the trees are most of a project's memory.
func (f *File) WithoutNodes() *File {
	c := *f
	if c.Docs != nil {
		c.Docs = []*yaml.Node{} // still YAML: reports tell YAML files by Docs
	}
	return &c
}

var markRE = regexp.MustCompile(`line (\d+)(?:, column (\d+))?`)

func (f *File) parse() {
	if len(f.Content) > MaxFileSize {
		f.Err = &SyntaxError{Pos: Pos{1, 1}, Msg: fmt.Sprintf("file is %d bytes; composelint reads compose files up to %d bytes", len(f.Content), MaxFileSize)}
		return
	}
	if i := bytes.IndexByte(f.Content, 0); i >= 0 {
		f.Err = &SyntaxError{Pos: f.PosOf(i), Msg: "file contains a NUL byte: this is a binary file, not YAML"}
		return
	}
	if !utf8.Valid(f.Content) {
		i := invalidUTF8(f.Content)
		f.Err = &SyntaxError{Pos: f.PosOf(i), Msg: "file is not valid UTF-8 (Compose files must be UTF-8; was it saved as Latin-1?)"}
		return
	}
	if line := pastNodeLimit(f.Content); line > 0 {
		f.Err = f.nodeLimitError(line)
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(f.Content))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			f.Docs = nil
			f.Err = f.syntaxError(err)
			return
		}
		if len(doc.Content) > 0 {
			if serr := checkNodes(doc.Content[0]); serr != nil {
				// Dropped at once: a file past the limit costs the memory
				// of one document, not of what loading it would take.
				f.Docs, f.Err = nil, serr
				return
			}
			f.Docs = append(f.Docs, doc.Content[0])
		}
	}
}

func (f *File) syntaxError(err error) *SyntaxError {
	msg := err.Error()
	pos := Pos{1, 1}
	if p, m, ok := markedError(err); ok {
		pos, msg = f.clamp(p), m
	} else if ms := markRE.FindAllStringSubmatchIndex(msg, -1); len(ms) > 0 {
		m := ms[len(ms)-1]
		line, _ := strconv.Atoi(msg[m[2]:m[3]])
		col := 1
		if m[4] >= 0 {
			col, _ = strconv.Atoi(msg[m[4]:m[5]])
		}
		pos = f.clamp(Pos{line, col})
	}
	msg = cleanYAMLMessage(msg)
	if strings.Contains(f.Line(pos.Line), "\t") && strings.Contains(msg, "cannot start any token") {
		msg = "a tab character cannot indent YAML: use spaces"
	}
	return &SyntaxError{Pos: pos, Msg: msg}
}

var (
	prefixRE    = regexp.MustCompile(`^yaml: `)
	markPhrases = regexp.MustCompile(`(?: at <unknown position>)?:? ?line \d+(?:, column \d+)?:? ?`)
)

// cleanYAMLMessage drops the "yaml:" prefix and the positions, which the
// diagnostic carries on its own.
func cleanYAMLMessage(msg string) string {
	msg = prefixRE.ReplaceAllString(msg, "")
	msg = markPhrases.ReplaceAllString(msg, ": ")
	msg = strings.ReplaceAll(msg, " at: ", ": ")
	for len(msg) > 0 && (msg[0] == ':' || msg[0] == ' ') {
		msg = msg[1:]
	}
	msg = regexp.MustCompile(`(: )+`).ReplaceAllString(msg, ": ")
	if msg == "" {
		msg = "invalid YAML"
	}
	return msg
}

// markedError reads the 0-based mark and the message of yaml/v4's parser
// and scanner errors. Their types live in an internal package, so they are
// read by field name; the printed form of the mark is not reliable.
func markedError(err error) (Pos, string, bool) {
	v := reflect.ValueOf(err)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return Pos{}, "", false
	}
	mark, msg := v.FieldByName("Mark"), v.FieldByName("Message")
	if !mark.IsValid() || !msg.IsValid() || mark.Kind() != reflect.Struct || msg.Kind() != reflect.String {
		return Pos{}, "", false
	}
	line, col := mark.FieldByName("Line"), mark.FieldByName("Column")
	if !line.CanInt() || !col.CanInt() {
		return Pos{}, "", false
	}
	text := msg.String()
	if ctx := v.FieldByName("ContextMessage"); ctx.IsValid() && ctx.Kind() == reflect.String && ctx.String() != "" {
		text = ctx.String() + ": " + text
	}
	return Pos{Line: int(line.Int()) + 1, Col: int(col.Int()) + 1}, text, true
}

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

// Lines returns the number of lines (a final newline does not start a line).
func (f *File) Lines() int {
	n := len(f.lineStarts)
	if n > 1 && f.lineStarts[n-1] == len(f.Content) {
		return n - 1
	}
	return n
}

// Line returns the text of line n (1-based) without its line ending.
func (f *File) Line(n int) string {
	if n < 1 || n > len(f.lineStarts) {
		return ""
	}
	start := f.lineStarts[n-1]
	end := len(f.Content)
	if n < len(f.lineStarts) {
		end = f.lineStarts[n] - 1
	}
	if end > start && f.Content[end-1] == '\r' {
		end--
	}
	return string(f.Content[start:end])
}

// Offset converts a position to a byte offset, clamped to the file.
func (f *File) Offset(p Pos) int {
	if p.Line < 1 {
		return f.lineStarts[0]
	}
	if p.Line > len(f.lineStarts) {
		return len(f.Content)
	}
	off := f.lineStarts[p.Line-1]
	for c := 1; c < p.Col && off < len(f.Content) && f.Content[off] != '\n'; c++ {
		_, n := utf8.DecodeRune(f.Content[off:])
		off += n
	}
	return off
}

// PosOf converts a byte offset to a position.
func (f *File) PosOf(off int) Pos {
	if off < f.lineStarts[0] {
		off = f.lineStarts[0]
	}
	if off > len(f.Content) {
		off = len(f.Content)
	}
	lo, hi := 0, len(f.lineStarts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if f.lineStarts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return Pos{Line: lo + 1, Col: utf8.RuneCount(f.Content[f.lineStarts[lo]:off]) + 1}
}

// clamp keeps a position inside the file, so that a diagnostic never points
// at a line or column that does not exist.
func (f *File) clamp(p Pos) Pos {
	if p.Line < 1 {
		p.Line = 1
	}
	if n := f.Lines(); p.Line > n {
		p.Line = n
		if n == 0 {
			p.Line = 1
		}
	}
	if p.Col < 1 {
		p.Col = 1
	}
	if max := utf8.RuneCountInString(f.Line(p.Line)) + 1; p.Col > max {
		p.Col = max
	}
	return p
}

// LineBounds returns the byte offsets of line n: its start, and the start of
// the next line (past its line ending), or the end of the file.
func (f *File) LineBounds(n int) (start, next int) {
	if n < 1 || n > len(f.lineStarts) {
		return len(f.Content), len(f.Content)
	}
	start = f.lineStarts[n-1]
	next = len(f.Content)
	if n < len(f.lineStarts) {
		next = f.lineStarts[n]
	}
	return start, next
}

// LineEnding is the line ending content uses: "\r\n" when its first line
// ends so, else "\n".
func LineEnding(content []byte) string {
	if i := bytes.IndexByte(content, '\n'); i > 0 && content[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// WithLineEnding rewrites the line endings of text to eol.
func WithLineEnding(text, eol string) string {
	if eol == "\n" {
		return text
	}
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", eol)
}
