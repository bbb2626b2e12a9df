// Package pysettings reads the module-level assignments of a Python module
// (a Django settings file) with their positions, without running it.
//
// It is a tokenizer-based reader, not a Python parser: no Go parser of
// current Python was acceptable (go-python/gpython's reads Python 3.4 and
// fails on f-strings and annotations, which settings files use; tree-sitter
// needs cgo, and composelint is one static binary). What it reads:
//
//   - statements at column 1 of the form `NAME = EXPR`, `NAME: TYPE = EXPR`
//     and `A = B = EXPR` (chained targets); `from MODULE import *`;
//   - assignments inside top-level `if`/`try`/`for`/`while`/`with` blocks,
//     marked Conditional; bodies of `def` and `class` are skipped;
//   - in EXPR: True, False, None, integers, strings (every prefix, triple
//     quotes, adjacent strings joined; an f-string is Unknown), tuples and
//     lists of those, and calls `NAME(.NAME)*(ARGS)` with positional and
//     keyword arguments. Anything else (operators, comprehensions,
//     conditional expressions, subscripts) is Unknown with its source text.
//
// Limits: augmented assignments (`+=`), tuple unpacking, assignments to
// attributes or subscripts and anything that happens when the module runs
// (imports other than `import *`, exec, setattr) are not followed.
package pysettings

import (
	"strconv"
	"strings"
)

// Kind is the kind of a Value.
type Kind int

const (
	Unknown Kind = iota
	None
	Bool
	Int
	Str
	Seq // tuple or list
	Call
)

// Value is what an expression reads as.
type Value struct {
	Kind   Kind
	Bool   bool
	Int    int64
	Str    string
	Items  []Value          // Seq items, Call positional arguments
	Func   string           // Call: the dotted name called
	Kwargs map[string]Value // Call: keyword arguments
	Text   string           // the expression's source text
}

// Stmt is a module-level statement the reader understands: an assignment
// (Name set) or a star import (StarImport set).
type Stmt struct {
	Name        string
	Value       Value
	StarImport  string // the module of `from MODULE import *` (dots kept: ".base")
	Line, Col   int    // of the name (or of `from`), 1-based
	Conditional bool   // inside a top-level if/try/for/while/with block
}

// Module is a module's statements in source order.
type Module struct {
	Stmts []Stmt
}

// Last returns the last assignment of name, and whether there is one.
func (m *Module) Last(name string) (Stmt, bool) {
	for i := len(m.Stmts) - 1; i >= 0; i-- {
		if m.Stmts[i].Name == name {
			return m.Stmts[i], true
		}
	}
	return Stmt{}, false
}

// Read reads a module's source.
func Read(src []byte) *Module {
	m := &Module{}
	block := "" // the keyword of the top-level compound statement whose body follows
	for _, line := range logicalLines(tokenize(string(src))) {
		first := line[0]
		if first.indent > 1 {
			if block == "def" || block == "class" || block == "" {
				continue
			}
			m.read(line, true)
			continue
		}
		block = ""
		if first.kind == tName && compound[first.text] {
			if endsWithColon(line) {
				block = first.text
			}
			if first.text == "async" && len(line) > 1 {
				block = line[1].text
			}
			continue
		}
		if first.text == "@" {
			block = "def" // a decorator: a def or class follows
			continue
		}
		m.read(line, false)
	}
	return m
}

var compound = map[string]bool{
	"if": true, "elif": true, "else": true, "try": true, "except": true, "finally": true, "for": true,
	"while": true, "with": true, "def": true, "class": true, "async": true, "match": true, "case": true,
}

func endsWithColon(line []token) bool {
	return line[len(line)-1].text == ":"
}

// read reads one simple statement.
func (m *Module) read(line []token, conditional bool) {
	if line[0].text == "from" && len(line) >= 4 && line[len(line)-1].text == "*" && line[len(line)-2].text == "import" {
		var mod strings.Builder
		for _, t := range line[1 : len(line)-2] {
			mod.WriteString(t.text)
		}
		m.Stmts = append(m.Stmts, Stmt{StarImport: mod.String(), Line: line[0].line, Col: line[0].col, Conditional: conditional})
		return
	}
	// targets: NAME [: annotation] = (NAME =)* EXPR
	var targets []token
	i := 0
	for i < len(line) && line[i].kind == tName {
		j := i + 1
		if j < len(line) && line[j].text == ":" && len(targets) == 0 {
			// an annotation runs to the `=`
			for j < len(line) && line[j].text != "=" {
				j++
			}
		}
		if j >= len(line) || line[j].text != "=" {
			break
		}
		targets = append(targets, line[i])
		i = j + 1
	}
	if len(targets) == 0 || i >= len(line) {
		return
	}
	p := &exprParser{toks: line[i:]}
	v := p.expr()
	if p.i < len(p.toks) {
		v = Value{Kind: Unknown}
	}
	v.Text = joinText(line[i:])
	for _, t := range targets {
		m.Stmts = append(m.Stmts, Stmt{Name: t.text, Value: v, Line: t.line, Col: t.col, Conditional: conditional})
	}
}

// exprParser reads the small expression language described in the package doc.
type exprParser struct {
	toks []token
	i    int
}

func (p *exprParser) peek() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return token{}
}

// expr reads an expression; a bare tuple `a, b` reads as a Seq.
func (p *exprParser) expr() Value {
	v := p.atom()
	if p.peek().text != "," {
		return v
	}
	items := []Value{v}
	for p.peek().text == "," {
		p.i++
		if p.i >= len(p.toks) {
			break
		}
		items = append(items, p.atom())
	}
	return seq(items)
}

func seq(items []Value) Value {
	for _, it := range items {
		if it.Kind == Unknown {
			return Value{Kind: Unknown}
		}
	}
	return Value{Kind: Seq, Items: items}
}

func (p *exprParser) atom() Value {
	start := p.i
	v := p.primary()
	// Anything that follows and is not a separator makes the expression unknown.
	for p.i < len(p.toks) && !separator[p.peek().text] {
		p.i++
		v = Value{Kind: Unknown}
	}
	v.Text = joinText(p.toks[start:p.i])
	return v
}

var separator = map[string]bool{",": true, ")": true, "]": true, "}": true, ":": true}

func (p *exprParser) primary() Value {
	t := p.peek()
	switch {
	case t.kind == tString:
		var b strings.Builder
		for p.peek().kind == tString {
			s, ok := stringValue(p.peek().text)
			p.i++
			if !ok {
				return Value{Kind: Unknown}
			}
			b.WriteString(s)
		}
		return Value{Kind: Str, Str: b.String()}
	case t.kind == tNumber:
		p.i++
		n, err := strconv.ParseInt(strings.ReplaceAll(t.text, "_", ""), 0, 64)
		if err != nil {
			return Value{Kind: Unknown}
		}
		return Value{Kind: Int, Int: n}
	case t.text == "-" && p.i+1 < len(p.toks) && p.toks[p.i+1].kind == tNumber:
		p.i++
		v := p.primary()
		v.Int = -v.Int
		return v
	case t.text == "(" || t.text == "[":
		return p.sequence(map[string]string{"(": ")", "[": "]"}[t.text])
	case t.kind == tName:
		switch t.text {
		case "True", "False":
			p.i++
			return Value{Kind: Bool, Bool: t.text == "True"}
		case "None":
			p.i++
			return Value{Kind: None}
		}
		name := t.text
		p.i++
		for p.peek().text == "." && p.i+1 < len(p.toks) && p.toks[p.i+1].kind == tName {
			name += "." + p.toks[p.i+1].text
			p.i += 2
		}
		if p.peek().text == "(" {
			return p.call(name)
		}
		return Value{Kind: Unknown}
	}
	p.i++
	return Value{Kind: Unknown}
}

// sequence reads `(a, b)` or `[a, b]` after its opening bracket.
func (p *exprParser) sequence(closing string) Value {
	p.i++
	var items []Value
	for p.i < len(p.toks) && p.peek().text != closing {
		items = append(items, p.atom())
		if p.peek().text == "," {
			p.i++
		} else if p.peek().text != closing {
			p.skipTo(closing)
			return Value{Kind: Unknown}
		}
	}
	if p.i >= len(p.toks) {
		return Value{Kind: Unknown} // unclosed
	}
	p.i++
	if closing == ")" && len(items) == 1 {
		return items[0] // parentheses, not a tuple
	}
	return seq(items)
}

// call reads the arguments of a call to name.
func (p *exprParser) call(name string) Value {
	p.i++ // (
	v := Value{Kind: Call, Func: name, Kwargs: map[string]Value{}}
	for p.i < len(p.toks) && p.peek().text != ")" {
		if p.peek().kind == tName && p.i+1 < len(p.toks) && p.toks[p.i+1].text == "=" {
			key := p.peek().text
			p.i += 2
			v.Kwargs[key] = p.atom()
		} else {
			v.Items = append(v.Items, p.atom())
		}
		if p.peek().text == "," {
			p.i++
		} else if p.peek().text != ")" {
			p.skipTo(")")
			return Value{Kind: Unknown}
		}
	}
	if p.i >= len(p.toks) {
		return Value{Kind: Unknown} // unclosed
	}
	p.i++
	return v
}

func (p *exprParser) skipTo(closing string) {
	depth := 0
	for p.i < len(p.toks) {
		switch p.peek().text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			if depth == 0 && p.peek().text == closing {
				p.i++
				return
			}
			depth--
		}
		p.i++
	}
}

// stringValue reads a string literal; ok is false for f-strings and bytes.
func stringValue(lit string) (string, bool) {
	prefix := strings.ToLower(lit[:strings.IndexAny(lit, `'"`)])
	if strings.ContainsAny(prefix, "fb") {
		return "", false
	}
	body := lit[len(prefix):]
	q := body[:1]
	if strings.HasPrefix(body, q+q+q) && len(body) >= 6 {
		body = body[3 : len(body)-3]
	} else if len(body) >= 2 {
		body = body[1 : len(body)-1]
	}
	if strings.Contains(prefix, "r") {
		return body, true
	}
	if s, err := strconv.Unquote(`"` + strings.ReplaceAll(strings.ReplaceAll(body, `\'`, `'`), `"`, `\"`) + `"`); err == nil {
		return s, true
	}
	return body, true
}

func joinText(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && !(t.text == "," || t.text == ")" || t.text == "]" || t.text == "." || toks[i-1].text == "(" ||
			toks[i-1].text == "[" || toks[i-1].text == "." || t.text == "(" && toks[i-1].kind == tName) {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}
