package caddyfile

import "strings"

// ServerBlock is what Caddy's parser makes of a site block (or of the
// global options block, which has no keys): its addresses, and its
// directives as segments of tokens, snippets imported.
type ServerBlock struct {
	Keys       []Token
	Segments   [][]Token
	HasBraces  bool
	NamedRoute bool // a named route &(name): its single key is the name
}

// Parse groups the tokens of a Caddyfile into server blocks the way
// Caddy's caddyfile.Parse does, and fails where it fails, with the same
// message and line. Unlike it, Parse does not expand {$ENV} placeholders
// (call ExpandEnv first) and reads no file: an `import` of anything but a
// snippet is an error that says so. filename only names snippets in the
// messages about import cycles.
func Parse(filename string, src []byte) ([]ServerBlock, error) {
	toks, err := Tokenize(src)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 && len(src) == 0 {
		// Caddy's lexer cannot start on an empty input.
		return nil, &Error{Msg: "EOF"}
	}
	p := &parser{dispenser: newDispenser(make([]ptok, len(toks))), file: filename}
	for i, t := range toks {
		p.toks[i] = ptok{Token: t}
	}
	return p.parseAll()
}

type parser struct {
	*dispenser
	// depth is the nesting of the blocks inside a directive, which Caddy's
	// parser counts apart from the dispenser's nesting (that of nextBlock).
	depth    int
	file     string
	block    parseBlock
	eof      bool
	snippets map[string][]ptok
	graph    *importGraph
}

type parseBlock struct {
	keys       []ptok
	segments   [][]ptok
	hasBraces  bool
	namedRoute bool
}

func (b parseBlock) export() ServerBlock {
	out := ServerBlock{HasBraces: b.hasBraces, NamedRoute: b.namedRoute, Keys: tokens(b.keys)}
	for _, s := range b.segments {
		out.Segments = append(out.Segments, tokens(s))
	}
	return out
}

func tokens(p []ptok) []Token {
	out := make([]Token, len(p))
	for i, t := range p {
		out[i] = t.Token
	}
	return out
}

func (p *parser) parseAll() ([]ServerBlock, error) {
	var blocks []ServerBlock
	for p.next() {
		p.block = parseBlock{}
		if err := p.begin(); err != nil {
			return blocks, err
		}
		if len(p.block.keys) > 0 || len(p.block.segments) > 0 {
			blocks = append(blocks, p.block.export())
		}
		if p.depth > 0 {
			return blocks, p.eofErr()
		}
	}
	return blocks, nil
}

func (p *parser) begin() error {
	if len(p.toks) == 0 {
		return nil
	}
	if err := p.addresses(); err != nil {
		return err
	}
	if p.eof {
		return nil // only a line of addresses
	}
	keys := p.block.keys
	if len(keys) == 1 && strings.HasPrefix(keys[0].Text, "&(") && strings.HasSuffix(keys[0].Text, ")") {
		return p.namedRoute(strings.TrimSuffix(keys[0].Text[2:], ")"))
	}
	if len(keys) == 1 && strings.HasPrefix(keys[0].Text, "(") && strings.HasSuffix(keys[0].Text, ")") {
		return p.snippet(strings.TrimSuffix(keys[0].Text[1:], ")"))
	}
	return p.blockContents()
}

func (p *parser) namedRoute(name string) error {
	nameTok := p.ptok()
	nameTok.Text = name
	p.block.keys = []ptok{nameTok}
	p.block.namedRoute = true
	toks, err := p.blockTokens(true)
	if err != nil {
		return err
	}
	sub := &parser{dispenser: newDispenser(toks), file: p.file, snippets: p.snippets, graph: p.importGraph()}
	for sub.next() {
		if sub.val() == "import" && sub.isNewLine() {
			if err := sub.doImport(1); err != nil {
				return err
			}
			sub.cursor--
		}
	}
	p.block.segments = [][]ptok{append([]ptok{nameTok}, sub.toks...)}
	return nil
}

func (p *parser) snippet(name string) error {
	if p.snippets == nil {
		p.snippets = map[string][]ptok{}
	}
	if _, ok := p.snippets[name]; ok {
		return p.errf("redeclaration of previously declared snippet %s", name)
	}
	toks, err := p.blockTokens(false)
	if err != nil {
		return err
	}
	for i := range toks {
		toks[i].snippet = name
	}
	p.snippets[name] = toks
	p.block.keys = nil
	return nil
}

func (p *parser) importGraph() *importGraph {
	if p.graph == nil {
		p.graph = &importGraph{}
	}
	return p.graph
}

func (p *parser) addresses() error {
	expectingAnother := false
	for {
		value, tok := p.val(), p.ptok()
		if strings.HasPrefix(value, "@") {
			return p.errf("request matchers may not be defined globally, they must be in a site block; found %s", value)
		}
		if value == "import" && p.isNewLine() {
			if err := p.doImport(0); err != nil {
				return err
			}
			continue
		}
		if tok.OpenBrace() {
			if expectingAnother {
				return p.errf("Expected another address but had '%s' - check for extra comma", value)
			}
			p.block.hasBraces = true
			break
		}
		if strings.HasSuffix(value, "{") && tok.Quote == 0 {
			return p.errf("Site addresses cannot end with a curly brace: '%s' - put a space between the token and the brace", value)
		}
		if value != "" {
			if value[len(value)-1] == ',' {
				value = value[:len(value)-1]
				expectingAnother = true
			} else {
				expectingAnother = false
			}
			if strings.Contains(value, ",") {
				return p.errf("Site addresses cannot contain a comma ',': '%s' - put a space after the comma to separate site addresses", value)
			}
			if value != "" {
				tok.Text = value
				p.block.keys = append(p.block.keys, tok)
			}
		}
		hasNext := p.next()
		if expectingAnother && !hasNext {
			return p.eofErr()
		}
		if !hasNext {
			p.eof = true
			break
		}
		if !expectingAnother && p.isNewLine() {
			break
		}
	}
	return nil
}

func (p *parser) blockContents() error {
	braceErr := p.openCurlyBrace()
	if braceErr != nil {
		p.cursor-- // a single site needs no braces
	}
	if err := p.directives(); err != nil {
		return err
	}
	if braceErr == nil && !p.tok().CloseBrace() {
		return p.syntaxErr("}")
	}
	return nil
}

// directives reads the directives of a site up to the brace that closes
// it, or the end of the input.
func (p *parser) directives() error {
	for p.next() {
		if p.tok().CloseBrace() {
			break
		}
		if p.val() == "import" {
			if err := p.doImport(1); err != nil {
				return err
			}
			p.cursor--
			continue
		}
		if err := p.directive(); err != nil {
			return err
		}
	}
	return nil
}

// directive reads one segment: a directive's line and the block it opens.
func (p *parser) directive() error {
	segment := []ptok{p.ptok()}
	for p.next() {
		t := p.tok()
		switch {
		case t.OpenBrace():
			p.depth++
			if !p.isNextOnNewLine() {
				return p.err("Unexpected next token after '{' on same line")
			}
			if p.isNewLine() {
				return p.err("Unexpected '{' on a new line; did you mean to place the '{' on the previous line?")
			}
		case t.Text == "{}" && t.Quote == 0:
			if p.isNextOnNewLine() {
				return p.err("Unexpected '{}' at end of line")
			}
		case p.isNewLine() && p.depth == 0:
			p.cursor--
			p.block.segments = append(p.block.segments, segment)
			return nil
		case t.CloseBrace() && p.depth > 0:
			p.depth--
		case t.CloseBrace():
			return p.err("Unexpected '}' because no matching opening brace")
		case t.Text == "import" && p.isNewLine():
			if err := p.doImport(1); err != nil {
				return err
			}
			p.cursor--
			continue
		}
		segment = append(segment, p.ptok())
	}
	p.block.segments = append(p.block.segments, segment)
	if p.depth > 0 {
		return p.eofErr()
	}
	return nil
}

func (p *parser) openCurlyBrace() error {
	if p.tok().OpenBrace() {
		return nil
	}
	if p.val() == "import" && len(p.block.keys) > 0 && allSnippetNames(p.block.keys) {
		return p.err("global options block must appear before import directives; move the global options block to the top of the Caddyfile")
	}
	return p.syntaxErr("{")
}

func allSnippetNames(keys []ptok) bool {
	for _, k := range keys {
		if !strings.HasPrefix(k.Text, "(") || !strings.HasSuffix(k.Text, ")") {
			return false
		}
	}
	return true
}

// blockTokens reads a block, from its opening brace to the one that
// closes it, and returns its tokens (with the braces when keep is true).
func (p *parser) blockTokens(keep bool) ([]ptok, error) {
	if err := p.openCurlyBrace(); err != nil {
		return nil, err
	}
	nesting := 1
	var out []ptok
	if keep {
		out = append(out, p.ptok())
	}
	for p.next() {
		t := p.tok()
		if t.CloseBrace() {
			nesting--
			if nesting == 0 {
				if keep {
					out = append(out, p.ptok())
				}
				break
			}
		}
		if t.OpenBrace() {
			nesting++
		}
		out = append(out, p.ptok())
	}
	if nesting != 0 {
		return nil, p.syntaxErr("}")
	}
	if out == nil {
		out = []ptok{}
	}
	return out, nil
}

// importName is how import chains and cycle messages name where the
// current token comes from.
func (p *parser) importName() string {
	name := p.file
	if s := p.ptok().snippet; s != "" {
		name += ":" + s
	}
	return name
}
