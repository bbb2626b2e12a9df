package caddyfile

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// doImport replaces an `import` line (and the block that may follow it)
// with the snippet it names, its {args[…]}, {block} and {blocks.…}
// placeholders filled. The cursor is left on the token before the first
// imported one. nesting is 0 for an import between site blocks.
func (p *parser) doImport(nesting int) error {
	if !p.nextArg() {
		return p.argErr()
	}
	pattern := p.val()
	if pattern == "" {
		return p.err("Import requires a non-empty filepath")
	}
	var args []string
	for _, a := range p.remainingArgs() {
		args = append(args, a.Text)
	}
	var blockToks []ptok
	for level := p.nesting; p.nextBlock(level); {
		blockToks = append(blockToks, p.ptok())
	}
	mapping, err := p.importBlocks(blockToks)
	if err != nil {
		return err
	}
	before := p.toks[:p.cursor-1-len(args)-len(blockToks)]
	after := p.toks[p.cursor+1:]

	imported, ok := p.snippets[pattern]
	if !ok || imported == nil {
		err := p.errf("cannot import %s: only snippets are imported, files are not read", pattern).(*Error)
		err.Import = pattern
		return err
	}
	var nodes []string
	if len(imported) > 0 {
		nodes = append(nodes, p.file+":"+imported[0].snippet)
	}
	from := p.importName()
	g := p.importGraph()
	g.addNodes(from)
	g.addNodes(nodes...)
	if err := g.addEdges(from, nodes); err != nil {
		g.removeNodes(nodes)
		return &Error{Msg: err.Error()}
	}

	out := p.expandImported(imported, nesting, args, blockToks, mapping)
	p.toks = append(before, append(out, after...)...)
	p.cursor -= len(args) + len(blockToks) + 1
	return nil
}

// importBlocks reads the block after an import as named sub-blocks, the
// values of {blocks.NAME}.
func (p *parser) importBlocks(blockToks []ptok) (map[string][]ptok, error) {
	mapping := map[string][]ptok{}
	bd := newDispenser(blockToks)
	for bd.next() {
		key := bd.val()
		if bd.tok().OpenBrace() {
			return nil, p.err("anonymous blocks are not supported")
		}
		toks := bd.remainingArgs()
		for level := bd.nesting; bd.nextBlock(level); {
			toks = append(toks, bd.ptok())
		}
		mapping[key] = toks
	}
	return mapping, nil
}

// expandImported copies a snippet's tokens for one import: each records
// the import it came through, placeholders are filled, and a snippet that
// the snippet itself defines is copied as written.
func (p *parser) expandImported(imported []ptok, nesting int, args []string, blockToks []ptok, mapping map[string][]ptok) []ptok {
	out := make([]ptok, 0, len(imported))
	maybeSnippet, maybeSnippetID := false, false
	index := 0
	for i, t := range imported {
		if t.snippet != "" {
			t.imports = append(t.imports, fmt.Sprintf("%s:%d (import %s)", p.file, p.ptok().Line, t.snippet))
		} else {
			t.imports = append(t.imports, fmt.Sprintf("%s:%d (import)", p.file, p.ptok().Line))
		}
		if !maybeSnippet && nesting == 0 {
			if i == 0 || len(out) == 0 || onNewLine(out[len(out)-1], t) {
				index = 0
			} else {
				index++
			}
			if index == 0 && len(t.Text) >= 3 && strings.HasPrefix(t.Text, "(") && strings.HasSuffix(t.Text, ")") {
				maybeSnippetID = true
			}
		}
		switch {
		case t.OpenBrace():
			nesting++
			if index == 1 && maybeSnippetID && nesting == 1 {
				maybeSnippet, maybeSnippetID = true, false
			}
		case t.CloseBrace():
			nesting--
			if nesting == 0 && maybeSnippet {
				maybeSnippet = false
			}
		}
		var add []ptok
		isBlock := false
		switch {
		case t.Text == "{block}":
			isBlock, add = true, blockToks
		case strings.HasPrefix(t.Text, "{blocks.") && strings.HasSuffix(t.Text, "}"):
			isBlock, add = true, mapping[strings.TrimPrefix(strings.TrimSuffix(t.Text, "}"), "{blocks.")]
		}
		switch {
		case maybeSnippet:
			out = append(out, t)
		case isBlock:
			out = append(out, add...)
		default:
			if ok, start, end := variadic(t.Text, len(args)); ok {
				for _, a := range args[start:end] {
					t.Text = a
					out = append(out, t)
				}
			} else {
				t.Text = replaceArgs(t.Text, args)
				out = append(out, t)
			}
		}
	}
	return out
}

// variadic reads a token that is a whole {args[START:END]} placeholder.
func variadic(text string, n int) (ok bool, start, end int) {
	if !strings.HasPrefix(text, "{args[") || !strings.HasSuffix(text, "]}") {
		return false, 0, 0
	}
	r := strings.TrimSuffix(strings.TrimPrefix(text, "{args["), "]}")
	if r == "" {
		return false, 0, 0
	}
	s, e, found := strings.Cut(r, ":")
	if !found || strings.Contains(s, "}") || strings.Contains(e, "{") {
		return false, 0, 0
	}
	start, end = 0, n
	var err error
	if s != "" {
		if start, err = strconv.Atoi(s); err != nil {
			return false, 0, 0
		}
	}
	if e != "" {
		if end, err = strconv.Atoi(e); err != nil {
			return false, 0, 0
		}
	}
	if start < 0 || start > end || end > n {
		return false, 0, 0
	}
	return true, start, end
}

var argsRE = sync.OnceValues(func() (*regexp.Regexp, *regexp.Regexp) {
	return regexp.MustCompile(`args\.(.+)`), regexp.MustCompile(`args\[(.+)]`)
})

// argValue is the value of the placeholder {KEY} in an imported token:
// {args[N]} (or the older {args.N}) is the import's Nth argument.
func argValue(key string, args []string) (string, bool) {
	dotted, indexed := argsRE()
	m := dotted.FindStringSubmatch(key)
	if m == nil {
		m = indexed.FindStringSubmatch(key)
		if m != nil && strings.Contains(m[1], ":") {
			return "", false
		}
	}
	if m == nil || m[0] != key {
		return "", false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 0 || n >= len(args) {
		return "", false
	}
	return args[n], true
}

// replaceArgs fills the {args[N]} placeholders of an imported token as
// Caddy's replacer does: other placeholders stay, and a backslash before
// a brace is dropped.
func replaceArgs(input string, args []string) string {
	if !strings.ContainsAny(input, "{}") {
		return input
	}
	var sb strings.Builder
	last, unclosed := 0, 0
scan:
	for i := 0; i < len(input); i++ {
		if i > 0 && input[i-1] == '\\' && (input[i] == '}' || input[i] == '{') {
			sb.WriteString(input[last : i-1])
			last = i
			continue
		}
		if input[i] != '{' {
			continue
		}
		if unclosed > 100 {
			return "" // Caddy gives up on such a token
		}
		end := strings.IndexByte(input[i:], '}') + i
		if end < i {
			unclosed++
			continue
		}
		for end > 0 && end < len(input)-1 && input[end-1] == '\\' {
			next := strings.IndexByte(input[end+1:], '}')
			if next < 0 {
				unclosed++
				continue scan
			}
			end += next + 1
		}
		sb.WriteString(input[last:i])
		val, found := argValue(input[i+1:end], args)
		if !found {
			last = i
			continue
		}
		sb.WriteString(val)
		i = end
		last = i + 1
	}
	sb.WriteString(input[last:])
	return sb.String()
}

// Placeholder is an environment placeholder {$NAME} or {$NAME:DEFAULT}.
type Placeholder struct {
	Name, Default string
	HasDefault    bool
}

// ExpandEnv replaces the environment placeholders of src with what value
// returns for them, in one pass from left to right as Caddy does before
// it tokenizes (a value is not expanded again). src is not changed.
func ExpandEnv(src []byte, value func(Placeholder) string) []byte {
	in := append([]byte(nil), src...)
	offset := 0
	for {
		begin := bytes.Index(in[offset:], []byte("{$"))
		if begin < 0 {
			return in
		}
		begin += offset
		end := bytes.IndexByte(in[begin+2:], '}')
		if end < 0 {
			return in
		}
		end += begin + 2
		if end == begin+2 {
			offset = end + 1
			continue
		}
		name, def, has := strings.Cut(string(in[begin+2:end]), ":")
		v := value(Placeholder{Name: name, Default: def, HasDefault: has})
		in = append(in[:begin], append([]byte(v), in[end+1:]...)...)
		offset = begin + len(v)
	}
}
