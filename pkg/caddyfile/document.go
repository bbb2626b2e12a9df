package caddyfile

import "strings"

// Document is a Caddyfile read as written: its tokens grouped into lines
// and blocks, placeholders and imports left as they are.
type Document struct {
	Tokens []Token
	// Err is why the file could not be tokenized (then Nodes is empty).
	Err   error
	Nodes []*Node // the top level
}

// Node is one logical line of a Caddyfile (a directive with its
// arguments, or a site block's addresses) and the block that follows it.
type Node struct {
	Tokens   []Token // without the "{" that opens the block
	HasBlock bool
	Block    []*Node
	// Open is the "{" token (for a block that has no tokens before it,
	// such as the global options block, it locates the node).
	Open Token
}

// Name is the node's first token (the directive name), "" for a bare block.
func (n *Node) Name() string {
	if len(n.Tokens) == 0 {
		return ""
	}
	return n.Tokens[0].Text
}

// Args are the node's tokens after its name.
func (n *Node) Args() []Token {
	if len(n.Tokens) < 2 {
		return nil
	}
	return n.Tokens[1:]
}

// maxDepth bounds the nesting of blocks Read follows.
const maxDepth = 64

// Read tokenizes src and groups its tokens into lines and blocks. An input
// of only blanks is an empty document.
func Read(src []byte) *Document {
	d := &Document{}
	toks, err := Tokenize(src)
	if err != nil {
		d.Err = err
		return d
	}
	d.Tokens = toks
	lines := Lines(toks)
	i := 0
	d.Nodes = nodes(lines, &i, 0)
	return d
}

// Lines splits tokens into logical lines: a token starts a new line when
// it begins below the end of the previous token, as Caddy tells lines
// apart. A line that ends with a comma continues on the next (site
// addresses).
func Lines(toks []Token) [][]Token {
	var out [][]Token
	var cur []Token
	for i, t := range toks {
		if i > 0 {
			prev := toks[i-1]
			newLine := t.Line > prev.Line+prev.LineBreaks()
			if newLine && !(strings.HasSuffix(prev.Text, ",") && !prev.Quoted()) {
				out = append(out, cur)
				cur = nil
			}
		}
		cur = append(cur, t)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// nodes builds the nodes of one block level from lines[*i:], up to the
// line that closes it.
func nodes(lines [][]Token, i *int, depth int) []*Node {
	var out []*Node
	for *i < len(lines) {
		line := lines[*i]
		*i++
		if line[0].CloseBrace() {
			if depth > 0 {
				return out
			}
			continue // a stray "}" at the top level: Parse reports it
		}
		n := &Node{Tokens: line}
		if last := line[len(line)-1]; last.OpenBrace() && depth < maxDepth {
			n.Tokens = line[:len(line)-1]
			n.HasBlock = true
			n.Open = last
			n.Block = nodes(lines, i, depth+1)
		}
		out = append(out, n)
	}
	return out
}

// Site is a site block: its addresses and its directives.
type Site struct {
	Addresses []Token
	Body      []*Node
}

// SnippetName reports whether a token names a snippet, (name), or a named
// route, &(name).
func SnippetName(s string) bool {
	return (strings.HasPrefix(s, "(") || strings.HasPrefix(s, "&(")) && strings.HasSuffix(s, ")")
}

// Global returns the body of the global options block (nil when none).
func (d *Document) Global() []*Node {
	if len(d.Nodes) > 0 && len(d.Nodes[0].Tokens) == 0 && d.Nodes[0].HasBlock {
		return d.Nodes[0].Block
	}
	return nil
}

// Snippets returns the snippets and named routes by name (without
// parentheses).
func (d *Document) Snippets() map[string][]*Node {
	out := map[string][]*Node{}
	for _, n := range d.Nodes {
		if name := n.Name(); len(n.Tokens) == 1 && SnippetName(name) && n.HasBlock {
			out[strings.TrimSuffix(strings.TrimLeft(name, "&("), ")")] = n.Block
		}
	}
	return out
}

// Sites returns the site blocks in file order. A file whose first site has
// no braces is one site: its first line holds the addresses, the rest of
// the file its directives.
func (d *Document) Sites() []Site {
	var out []Site
	for i, n := range d.Nodes {
		if len(n.Tokens) == 0 { // global options
			continue
		}
		name := n.Name()
		if SnippetName(name) || (name == "import" && !n.HasBlock) {
			continue
		}
		if !n.HasBlock {
			if len(out) == 0 {
				return append(out, Site{Addresses: n.Tokens, Body: d.Nodes[i+1:]})
			}
			continue
		}
		out = append(out, Site{Addresses: n.Tokens, Body: n.Block})
	}
	return out
}

// Imports returns the arguments of the `import` directives that name no
// snippet of the document (file paths or globs), at any depth.
func (d *Document) Imports() []string {
	snippets := d.Snippets()
	var out []string
	var walk func(nodes []*Node, depth int)
	walk = func(nodes []*Node, depth int) {
		for _, n := range nodes {
			if n.Name() == "import" {
				if args := n.Args(); len(args) > 0 {
					if _, ok := snippets[args[0].Text]; !ok {
						out = append(out, args[0].Text)
					}
				}
			}
			if n.HasBlock && depth < 16 {
				walk(n.Block, depth+1)
			}
		}
	}
	walk(d.Nodes, 0)
	return out
}

// BlankFileImports returns src with the lines of the `import` directives
// that name no snippet of the file (files and globs) blanked, line breaks
// kept: Parse can then read the rest, with its lines where they were,
// without the files that only exist where Caddy runs. src is returned
// unchanged when it has no such import or does not tokenize.
func BlankFileImports(src []byte) []byte {
	toks, err := Tokenize(src)
	if err != nil {
		return src
	}
	lines := Lines(toks)
	i := 0
	snippets := (&Document{Nodes: nodes(lines, &i, 0)}).Snippets()
	out, copied := src, false
	prevEnd := 0
	for _, line := range lines {
		first, last := line[0], line[len(line)-1]
		from := prevEnd
		prevEnd = last.End
		if first.Text != "import" || first.Quoted() || len(line) < 2 {
			continue
		}
		if _, ok := snippets[line[1].Text]; ok {
			continue
		}
		start := max(from, lineStart(src, first.Offset))
		end := last.End
		for end < len(src) && src[end] != '\n' {
			end++
		}
		if !copied {
			out, copied = append([]byte(nil), src...), true
		}
		for j := start; j < end; j++ {
			if out[j] != '\n' && out[j] != '\r' {
				out[j] = ' '
			}
		}
	}
	return out
}

func lineStart(src []byte, off int) int {
	for off > 0 && src[off-1] != '\n' {
		off--
	}
	return off
}
