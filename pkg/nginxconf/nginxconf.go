// Package nginxconf reads nginx configuration, enough to find where nginx sends
// requests (proxy_pass, uwsgi_pass, fastcgi_pass, grpc_pass and the servers
// of upstream blocks) with their positions: nginx's syntax is directives of
// words ending in `;` or a `{ … }` block, `#` comments, quoted strings.
package nginxconf

import (
	"strings"

	"github.com/composelint/composelint/pkg/source"
)

// Word is a word of an nginx config and where it starts.
type Word struct {
	Text      string
	Line, Col int // 1-based; Col counts characters
}

// Directive is a directive: its words (name first) and its block.
type Directive struct {
	Words []Word
	Block []*Directive
}

// Parse reads an nginx config into directives. What it cannot read (an
// unbalanced block) ends the directive list where it stands.
func Parse(src []byte) []*Directive {
	words, ends := tokens(string(src))
	i := 0
	return block(words, ends, &i, 0)
}

// tokens splits src into words; ends holds, for each word, the
// punctuation that follows it (";", "{", "}") or "" for none.
func tokens(src string) (words []Word, ends []string) {
	line, col := 1, 1
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '\n':
			line, col = line+1, 1
			i++
			continue
		case r == ' ' || r == '\t' || r == '\r':
			i, col = i+1, col+1
			continue
		case r == '#':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			continue
		case r == ';' || r == '{' || r == '}':
			words = append(words, Word{Text: string(r), Line: line, Col: col})
			ends = append(ends, string(r))
			i, col = i+1, col+1
			continue
		}
		startCol, startLine := col, line
		var b strings.Builder
		if r == '"' || r == '\'' {
			i, col = i+1, col+1
			for i < len(rs) && rs[i] != r {
				if rs[i] == '\\' && i+1 < len(rs) {
					i, col = i+1, col+1
				}
				if rs[i] == '\n' {
					line, col = line+1, 0
				}
				b.WriteRune(rs[i])
				i, col = i+1, col+1
			}
			i, col = i+1, col+1
		} else {
			for i < len(rs) && !strings.ContainsRune(" \t\r\n;{}#", rs[i]) {
				b.WriteRune(rs[i])
				i, col = i+1, col+1
			}
		}
		words = append(words, Word{Text: b.String(), Line: startLine, Col: startCol})
		ends = append(ends, "")
	}
	return words, ends
}

func block(words []Word, ends []string, i *int, depth int) []*Directive {
	var out []*Directive
	var cur []Word
	for *i < len(words) {
		w, end := words[*i], ends[*i]
		*i++
		switch end {
		case ";":
			if len(cur) > 0 {
				out = append(out, &Directive{Words: cur})
			}
			cur = nil
		case "{":
			d := &Directive{Words: cur}
			if depth < 32 {
				d.Block = block(words, ends, i, depth+1)
			}
			out = append(out, d)
			cur = nil
		case "}":
			return out
		default:
			cur = append(cur, w)
		}
	}
	return out
}

// Upstream is a place where nginx sends requests: host and port as
// written (port "" when none) and the word that names them.
type Upstream struct {
	Directive  string // proxy_pass, uwsgi_pass…; server in an upstream block
	Host, Port string
	Word       Word
}

// Passes returns where the directives send requests: proxy_pass and
// its kin, resolved through upstream blocks; addresses holding variables
// are left out, since they are known only at run time.
func Passes(dirs []*Directive) []Upstream {
	groups := map[string][]Upstream{}
	var walkUpstreams func(ds []*Directive)
	walkUpstreams = func(ds []*Directive) {
		for _, d := range ds {
			if len(d.Words) == 2 && d.Words[0].Text == "upstream" {
				name := d.Words[1].Text
				for _, s := range d.Block {
					if len(s.Words) >= 2 && s.Words[0].Text == "server" {
						if u, ok := address(s.Words[1], false); ok {
							groups[name] = append(groups[name], u)
						}
					}
				}
				if _, ok := groups[name]; !ok {
					groups[name] = nil // an upstream of unix sockets or variables
				}
				continue
			}
			walkUpstreams(d.Block)
		}
	}
	walkUpstreams(dirs)
	var out []Upstream
	var walk func(ds []*Directive)
	walk = func(ds []*Directive) {
		for _, d := range ds {
			if len(d.Words) >= 2 {
				switch d.Words[0].Text {
				case "proxy_pass", "uwsgi_pass", "fastcgi_pass", "grpc_pass", "scgi_pass":
					u, ok := address(d.Words[1], true)
					if !ok {
						break
					}
					if g, isGroup := groups[u.Host]; isGroup {
						for _, s := range g {
							s.Directive = "upstream " + u.Host
							out = append(out, s)
						}
						break
					}
					u.Directive = d.Words[0].Text
					out = append(out, u)
				}
			}
			walk(d.Block)
		}
	}
	walk(dirs)
	return out
}

// address reads "http://web:8000/path", "web:8000", "unix:/sock".
func address(w Word, scheme bool) (Upstream, bool) {
	s := w.Text
	if strings.Contains(s, "$") || strings.HasPrefix(s, "unix:") {
		return Upstream{}, false
	}
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	} else if scheme && strings.HasPrefix(w.Text, "http") {
		return Upstream{}, false
	}
	if i := strings.IndexAny(s, "/?"); i >= 0 {
		s = s[:i]
	}
	host, port := s, ""
	if i := strings.LastIndex(s, ":"); i >= 0 && !strings.Contains(s[i:], "]") {
		host, port = s[:i], s[i+1:]
	}
	if host == "" {
		return Upstream{}, false
	}
	return Upstream{Host: host, Port: port, Word: w}, true
}

// WordRange locates a word in f.
func WordRange(f *source.File, w Word) source.Range {
	return source.Range{Start: source.Pos{Line: w.Line, Col: w.Col}, End: source.Pos{Line: w.Line, Col: w.Col + len([]rune(w.Text))}}
}
