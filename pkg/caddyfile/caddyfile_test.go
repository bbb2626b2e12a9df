package caddyfile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// golden is Caddy's own reading of a testdata Caddyfile (see testdata/README.md).
type golden struct {
	Tokens        []goldenToken `json:"tokens"`
	TokenizeError string        `json:"tokenize_error"`
	Blocks        []struct {
		Keys       []goldenToken   `json:"keys"`
		Segments   [][]goldenToken `json:"segments"`
		HasBraces  bool            `json:"has_braces"`
		NamedRoute bool            `json:"named_route"`
	} `json:"blocks"`
	ParseError string `json:"parse_error"`
	ParseLine  int    `json:"parse_error_line"`
}

type goldenToken struct {
	Text       string `json:"text"`
	Line       int    `json:"line"`
	Quoted     bool   `json:"quoted"`
	LineBreaks int    `json:"line_breaks"`
}

func asGolden(toks []Token) []goldenToken {
	out := []goldenToken{}
	for _, t := range toks {
		out = append(out, goldenToken{Text: t.Text, Line: t.Line, Quoted: t.Quoted(), LineBreaks: t.LineBreaks()})
	}
	return out
}

// TestAgreesWithCaddy reads every testdata Caddyfile and requires the
// tokens, server blocks and errors Caddy's parser read in it.
func TestAgreesWithCaddy(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.Caddyfile")
	if len(files) < 10 {
		t.Fatalf("only %d Caddyfiles in testdata", len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var want golden
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			toks, err := Tokenize(src)
			if msg := errMsg(err); msg != want.TokenizeError {
				t.Fatalf("Tokenize error %q, Caddy's %q", msg, want.TokenizeError)
			}
			if got := asGolden(toks); !reflect.DeepEqual(got, want.Tokens) {
				t.Errorf("tokens\n got %v\nwant %v", got, want.Tokens)
			}
			input := ExpandEnv(BlankFileImports(src), func(p Placeholder) string { return p.Default })
			blocks, err := Parse(filepath.Base(path), input)
			var line int
			if e, ok := err.(*Error); ok {
				line = e.Line
			}
			if msg := errMsg(err); msg != want.ParseError || line != want.ParseLine {
				t.Fatalf("Parse error %q at line %d, Caddy's %q at line %d", msg, line, want.ParseError, want.ParseLine)
			}
			if len(blocks) != len(want.Blocks) {
				t.Fatalf("%d server blocks, Caddy reads %d", len(blocks), len(want.Blocks))
			}
			for i, b := range blocks {
				w := want.Blocks[i]
				if b.HasBraces != w.HasBraces || b.NamedRoute != w.NamedRoute || !reflect.DeepEqual(asGolden(b.Keys), w.Keys) {
					t.Errorf("block %d: %+v, Caddy's %+v", i, b, w)
				}
				var segs [][]goldenToken
				for _, s := range b.Segments {
					segs = append(segs, asGolden(s))
				}
				if !reflect.DeepEqual(segs, w.Segments) {
					t.Errorf("block %d segments\n got %v\nwant %v", i, segs, w.Segments)
				}
			}
		})
	}
}

func errMsg(err error) string {
	if err == nil {
		return ""
	}
	return err.(*Error).Msg
}

// TestTokenRanges checks that each token's range is the token as written.
func TestTokenRanges(t *testing.T) {
	src := "\ufeffa.com \"quoted {\" `back\ntick` {\n\trespond <<EOF\n\tbody\n\tEOF 200 \\\n\t\tnext # comment\n\tx\\ y\n}\n"
	toks, err := Tokenize([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range toks {
		got = append(got, src[tok.Offset:tok.End])
	}
	want := []string{"a.com", `"quoted {"`, "`back\ntick`", "{", "respond", "<<EOF\n\tbody\n\tEOF", "200", "next", `x\`, "y", "}"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ranges\n got %q\nwant %q", got, want)
	}
	// "next" follows an escaped line break: Caddy gives it the line of the
	// token before it.
	if toks[7].Line != 5 || toks[5].Line != 3 || toks[5].Text != "body" || toks[5].Quote != '<' {
		t.Errorf("heredoc %+v, next %+v", toks[5], toks[7])
	}
	if toks[1].OpenBrace() || !toks[3].OpenBrace() || toks[1].Text != "quoted {" {
		t.Errorf("a quoted brace is no brace: %+v %+v", toks[1], toks[3])
	}
}

func TestRead(t *testing.T) {
	src := `{
	email {$TLS_EMAIL}
}
(snip) {
	header -Server
}
import sites/*.caddy
www.{$DOMAIN_NAME},
	{$DOMAIN_NAME} {
	import snip
	import /etc/caddy/common.caddy
	handle /api/* {
		reverse_proxy web:8000
	}
}
`
	d := Read([]byte(src))
	if d.Err != nil {
		t.Fatal(d.Err)
	}
	if g := d.Global(); len(g) != 1 || g[0].Name() != "email" || g[0].Args()[0].Text != "{$TLS_EMAIL}" {
		t.Errorf("global options %+v", g)
	}
	if s := d.Snippets(); len(s) != 1 || s["snip"][0].Name() != "header" {
		t.Errorf("snippets %+v", s)
	}
	sites := d.Sites()
	if len(sites) != 1 || len(sites[0].Addresses) != 2 || sites[0].Addresses[1].Text != "{$DOMAIN_NAME}" || sites[0].Addresses[1].Line != 9 {
		t.Fatalf("sites %+v", sites)
	}
	if b := sites[0].Body; len(b) != 3 || !b[2].HasBlock || b[2].Block[0].Name() != "reverse_proxy" {
		t.Errorf("site body %+v", b)
	}
	if got, want := d.Imports(), []string{"sites/*.caddy", "/etc/caddy/common.caddy"}; !reflect.DeepEqual(got, want) {
		t.Errorf("imports %q, want %q", got, want)
	}
	if d := Read([]byte("a.com {\n\trespond <<EOF\n\topen\n")); d.Err == nil || d.Nodes != nil {
		t.Errorf("an unterminated heredoc is read: %+v", d)
	}
}

func TestExpandEnv(t *testing.T) {
	src := []byte("{$A} {$B:def} {$} {$:x} {$C:a:b} {$D")
	got := ExpandEnv(src, func(p Placeholder) string {
		if p.HasDefault {
			return "[" + p.Name + "|" + p.Default + "]"
		}
		return "<" + p.Name + ">"
	})
	if want := "<A> [B|def] {$} [|x] [C|a:b] {$D"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if string(src) != "{$A} {$B:def} {$} {$:x} {$C:a:b} {$D" {
		t.Errorf("the input changed: %q", src)
	}
}

func TestBlankFileImports(t *testing.T) {
	src := "(s) {\n\tencode gzip\n}\nimport sites/*.caddy # all sites\nexample.com {\n\timport s\n\timport /etc/caddy/x.caddy \\\n\t\targ\n}\n"
	got := string(BlankFileImports([]byte(src)))
	want := "(s) {\n\tencode gzip\n}\n" + strings.Repeat(" ", 32) + "\nexample.com {\n\timport s\n" + strings.Repeat(" ", 28) + "\n     \n}\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if src := []byte("example.com {\n}\n"); &BlankFileImports(src)[0] != &src[0] {
		t.Error("a file without imports is copied")
	}
}

// FuzzRead checks that no input makes the reader panic.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.Caddyfile")
	for _, path := range files {
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d := Read(src)
		d.Sites()
		d.Imports()
		d.Global()
		for _, tok := range d.Tokens {
			if tok.Offset < 0 || tok.End > len(src) || tok.Offset >= tok.End {
				t.Fatalf("token %+v outside the input", tok)
			}
		}
		Parse("Caddyfile", ExpandEnv(BlankFileImports(src), func(p Placeholder) string { return p.Name }))
	})
}
