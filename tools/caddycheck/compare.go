// Package main holds composelint's Caddyfile reader (pkg/caddyfile) to
// Caddy's own parser: both read the same Caddyfiles and must agree on the
// tokens, the server blocks and the errors. It is a module of its own so
// that composelint's go.mod never lists Caddy.
package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	caddy "github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"

	ours "github.com/composelint/composelint/pkg/caddyfile"
)

// compare reads src with both parsers and returns the first difference
// ("" when they agree). name is the file name both are given.
func compare(name string, src []byte) (diff string) {
	defer func() {
		if r := recover(); r != nil {
			diff = fmt.Sprintf("panic: %v", r)
		}
	}()
	if d := compareTokens(name, src); d != "" {
		return "tokens: " + d
	}
	// Parse sees the file as the rules give it: placeholders expanded
	// (Caddy with an empty environment: the default, else nothing) and
	// file imports blanked, since neither parser should read other files.
	input := ours.BlankFileImports(src)
	expanded := ours.ExpandEnv(input, func(p ours.Placeholder) string { return p.Default })
	if d := compareParse(name, input, expanded); d != "" {
		return "parse: " + d
	}
	return ""
}

func compareTokens(name string, src []byte) string {
	want, werr := caddy.Tokenize(src, name)
	got, gerr := ours.Tokenize(src)
	if len(src) == 0 {
		// Caddy's lexer fails on an empty input (io.EOF); ours reads no token.
		if werr == nil || gerr != nil || len(got) != 0 {
			return fmt.Sprintf("empty input: caddy %v, ours %v %d tokens", werr, gerr, len(got))
		}
		return ""
	}
	if (werr != nil) != (gerr != nil) {
		return fmt.Sprintf("error: caddy %v, ours %v", werr, gerr)
	}
	if werr != nil {
		if werr.Error() != gerr.(*ours.Error).Msg {
			return fmt.Sprintf("error: caddy %q, ours %q", werr, gerr.(*ours.Error).Msg)
		}
		return ""
	}
	if len(want) != len(got) {
		return fmt.Sprintf("%d tokens from caddy, %d from ours", len(want), len(got))
	}
	prevEnd := 0
	for i := range want {
		w, g := want[i], got[i]
		if w.Text != g.Text || w.Line != g.Line || w.Quoted() != g.Quoted() || w.NumLineBreaks() != g.LineBreaks() {
			return fmt.Sprintf("token %d: caddy %q line %d quoted %v breaks %d, ours %q line %d quote %q breaks %d",
				i, w.Text, w.Line, w.Quoted(), w.NumLineBreaks(), g.Text, g.Line, g.Quote, g.LineBreaks())
		}
		if g.Offset < prevEnd || g.End <= g.Offset || g.End > len(src) {
			return fmt.Sprintf("token %d %q: range [%d,%d) after %d", i, g.Text, g.Offset, g.End, prevEnd)
		}
		prevEnd = g.End
		// The range holds the token as written: read alone, it is the
		// same token.
		alone, err := ours.Tokenize(src[g.Offset:g.End])
		if err != nil || len(alone) != 1 || alone[0].Text != g.Text || alone[0].Quote != g.Quote {
			return fmt.Sprintf("token %d %q: its range %q reads as %v (%v)", i, g.Text, src[g.Offset:g.End], alone, err)
		}
	}
	return ""
}

func compareParse(name string, input, expanded []byte) string {
	want, werr := caddy.Parse(name, input)
	got, gerr := ours.Parse(name, expanded)
	if e, ok := gerr.(*ours.Error); ok && e.Import != "" {
		// Ours reads no file where Caddy would: what follows depends on
		// the disk Caddy runs on.
		return ""
	}
	if (werr != nil) != (gerr != nil) {
		return fmt.Sprintf("error: caddy %v, ours %v", werr, gerr)
	}
	if werr != nil {
		return compareErrors(name, werr, gerr.(*ours.Error))
	}
	if len(want) != len(got) {
		return fmt.Sprintf("%d server blocks from caddy, %d from ours", len(want), len(got))
	}
	for i := range want {
		w, g := want[i], got[i]
		if w.HasBraces != g.HasBraces || w.IsNamedRoute != g.NamedRoute {
			return fmt.Sprintf("block %d: braces %v/%v named route %v/%v", i, w.HasBraces, g.HasBraces, w.IsNamedRoute, g.NamedRoute)
		}
		if d := compareTokenList(w.Keys, g.Keys); d != "" {
			return fmt.Sprintf("block %d keys: %s", i, d)
		}
		if len(w.Segments) != len(g.Segments) {
			return fmt.Sprintf("block %d: %d segments from caddy, %d from ours", i, len(w.Segments), len(g.Segments))
		}
		for j := range w.Segments {
			if d := compareTokenList(w.Segments[j], g.Segments[j]); d != "" {
				return fmt.Sprintf("block %d segment %d: %s", i, j, d)
			}
		}
	}
	return ""
}

func compareTokenList(want []caddy.Token, got []ours.Token) string {
	if len(want) != len(got) {
		return fmt.Sprintf("%d tokens from caddy %v, %d from ours %v", len(want), texts(want), len(got), got)
	}
	for i := range want {
		if want[i].Text != got[i].Text || want[i].Line != got[i].Line || want[i].Quoted() != got[i].Quoted() {
			return fmt.Sprintf("token %d: caddy %q@%d, ours %q@%d", i, want[i].Text, want[i].Line, got[i].Text, got[i].Line)
		}
	}
	return ""
}

func texts(toks []caddy.Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Text)
	}
	return out
}

var lineRE = regexp.MustCompile(`on line #(\d+)`)

// compareErrors holds our error to Caddy's: the same message, and the same
// line and import chain where Caddy's message names them.
func compareErrors(name string, werr error, g *ours.Error) string {
	msg := werr.Error()
	suffix := ""
	if i := strings.LastIndex(msg, ", at "+name+":"); i >= 0 {
		msg, suffix = msg[:i], msg[i+len(", at "+name+":"):]
	}
	if msg != g.Msg {
		return fmt.Sprintf("error: caddy %q, ours %q", werr, g.Msg)
	}
	line := 0
	if suffix != "" {
		digits := suffix
		if i := strings.IndexByte(suffix, ' '); i >= 0 {
			digits = suffix[:i]
		}
		line, _ = strconv.Atoi(digits)
	} else if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	if line != g.Line {
		return fmt.Sprintf("error line: caddy %q, ours %d", werr, g.Line)
	}
	if len(g.Imports) == 0 && strings.Contains(suffix, "(import") {
		return fmt.Sprintf("error import chain: caddy %q, ours none", werr)
	}
	if len(g.Imports) > 0 && !strings.Contains(suffix, strings.Join(g.Imports, "','")) {
		return fmt.Sprintf("error import chain: caddy %q, ours %q", werr, g.Imports)
	}
	return ""
}
