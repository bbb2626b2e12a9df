package caddyfile

import (
	"errors"
	"fmt"
)

// ptok is a token on its way through the parser: where imports brought
// it from, and the snippet it belongs to.
type ptok struct {
	Token
	imports []string
	snippet string
}

// onNewLine reports whether b starts a line after a: a token brought by
// another import starts a line, as does one below a's last line.
func onNewLine(a, b ptok) bool {
	if len(a.imports) != len(b.imports) {
		return true
	}
	for i := range a.imports {
		if a.imports[i] != b.imports[i] {
			return true
		}
	}
	return a.Line+a.LineBreaks() < b.Line
}

// dispenser walks tokens the way Caddy's Dispenser does: a cursor, and the
// nesting of the blocks it entered.
type dispenser struct {
	toks    []ptok
	cursor  int
	nesting int
}

func newDispenser(toks []ptok) *dispenser { return &dispenser{toks: toks, cursor: -1} }

func (d *dispenser) next() bool {
	if d.cursor < len(d.toks)-1 {
		d.cursor++
		return true
	}
	return false
}

func (d *dispenser) nextOnSameLine() bool {
	if d.cursor < 0 {
		d.cursor++
		return true
	}
	if d.cursor >= len(d.toks)-1 {
		return false
	}
	if !onNewLine(d.toks[d.cursor], d.toks[d.cursor+1]) {
		d.cursor++
		return true
	}
	return false
}

// nextArg moves to the next token on the current line that is not a
// block's opening brace.
func (d *dispenser) nextArg() bool {
	if !d.nextOnSameLine() {
		return false
	}
	if d.tok().OpenBrace() {
		d.cursor--
		return false
	}
	return true
}

// nextBlock moves through the block that opens at the end of the current
// line, token by token, until the block closes.
func (d *dispenser) nextBlock(level int) bool {
	if d.nesting > level {
		if !d.next() {
			return false
		}
		if d.tok().CloseBrace() && !d.nextOnSameLine() {
			d.nesting--
		} else if d.tok().OpenBrace() && !d.nextOnSameLine() {
			d.nesting++
		}
		return d.nesting > level
	}
	if !d.nextOnSameLine() {
		return false
	}
	if !d.tok().OpenBrace() {
		d.cursor--
		return false
	}
	d.next()
	if d.tok().CloseBrace() {
		return false
	}
	d.nesting++
	return true
}

func (d *dispenser) remainingArgs() []ptok {
	var out []ptok
	for d.nextArg() {
		out = append(out, d.ptok())
	}
	return out
}

func (d *dispenser) ptok() ptok {
	if d.cursor < 0 || d.cursor >= len(d.toks) {
		return ptok{}
	}
	return d.toks[d.cursor]
}

func (d *dispenser) tok() Token  { return d.ptok().Token }
func (d *dispenser) val() string { return d.ptok().Text }

// isNewLine reports whether the current token starts a line.
func (d *dispenser) isNewLine() bool {
	if d.cursor < 1 {
		return true
	}
	if d.cursor > len(d.toks)-1 {
		return false
	}
	return onNewLine(d.toks[d.cursor-1], d.toks[d.cursor])
}

// isNextOnNewLine reports whether the token after the current one starts
// a line.
func (d *dispenser) isNextOnNewLine() bool {
	if d.cursor < 0 {
		return false
	}
	if d.cursor >= len(d.toks)-1 {
		return true
	}
	return onNewLine(d.toks[d.cursor], d.toks[d.cursor+1])
}

// err is an error at the current token.
func (d *dispenser) err(msg string) error {
	t := d.ptok()
	return &Error{Line: t.Line, Msg: msg, Imports: t.imports}
}

func (d *dispenser) errf(format string, args ...any) error {
	return d.err(fmt.Sprintf(format, args...))
}

func (d *dispenser) syntaxErr(expected string) error {
	return d.errf("syntax error: unexpected token '%s', expecting '%s'", d.val(), expected)
}

func (d *dispenser) eofErr() error { return d.err("unexpected EOF") }

func (d *dispenser) argErr() error {
	if d.tok().OpenBrace() {
		return d.err("unexpected token '{', expecting argument")
	}
	return d.errf("wrong argument count or unexpected line ending after '%s'", d.val())
}

// importGraph detects cycles of snippet imports.
type importGraph struct {
	nodes map[string]bool
	edges map[string][]string
}

func (g *importGraph) addNodes(names ...string) {
	if g.nodes == nil {
		g.nodes, g.edges = map[string]bool{}, map[string][]string{}
	}
	for _, n := range names {
		g.nodes[n] = true
	}
}

func (g *importGraph) removeNodes(names []string) {
	for _, n := range names {
		delete(g.nodes, n)
		delete(g.edges, n)
		for k, targets := range g.edges {
			kept := targets[:0]
			for _, t := range targets {
				if t != n {
					kept = append(kept, t)
				}
			}
			g.edges[k] = kept
		}
	}
}

func (g *importGraph) addEdges(from string, tos []string) error {
	for _, to := range tos {
		if !g.nodes[from] || !g.nodes[to] {
			return errors.New("one of the nodes does not exist")
		}
		if g.reaches(to, from) {
			return fmt.Errorf("a cycle of imports exists between %s and %s", from, to)
		}
		if !contains(g.edges[from], to) {
			g.edges[from] = append(g.edges[from], to)
		}
	}
	return nil
}

// reaches reports whether to is from, or reachable from it by an edge.
func (g *importGraph) reaches(from, to string) bool {
	if from == to {
		return true
	}
	seen := map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		if !seen[n] {
			seen[n] = true
			for _, v := range g.edges[n] {
				visit(v)
			}
		}
	}
	for _, v := range g.edges[from] {
		visit(v)
	}
	return seen[to]
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
