package main

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"

	caddy "github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"

	ours "github.com/composelint/composelint/pkg/caddyfile"
)

// Golden is what Caddy's parser reads in a Caddyfile, recorded for
// pkg/caddyfile's tests (which do not link Caddy). Parse sees the file
// with placeholders replaced by their defaults and file imports blanked.
type Golden struct {
	Tokens        []GoldenToken `json:"tokens"`
	TokenizeError string        `json:"tokenize_error,omitempty"`
	Blocks        []GoldenBlock `json:"blocks"`
	ParseError    string        `json:"parse_error,omitempty"`
	ParseLine     int           `json:"parse_error_line,omitempty"`
}

type GoldenToken struct {
	Text       string `json:"text"`
	Line       int    `json:"line"`
	Quoted     bool   `json:"quoted,omitempty"`
	LineBreaks int    `json:"line_breaks,omitempty"`
}

type GoldenBlock struct {
	Keys       []GoldenToken   `json:"keys"`
	Segments   [][]GoldenToken `json:"segments"`
	HasBraces  bool            `json:"has_braces,omitempty"`
	NamedRoute bool            `json:"named_route,omitempty"`
}

// writeGolden writes path+".json" with Caddy's reading of src.
func writeGolden(path string, src []byte) error {
	var g Golden
	toks, err := caddy.Tokenize(src, path)
	if err != nil {
		g.TokenizeError = err.Error()
	}
	g.Tokens = goldenTokens(toks)
	input := ours.BlankFileImports(src)
	blocks, err := caddy.Parse(path, input)
	if err != nil {
		g.ParseError, g.ParseLine = splitCaddyError(path, err.Error())
	}
	for _, b := range blocks {
		gb := GoldenBlock{Keys: goldenTokens(b.Keys), HasBraces: b.HasBraces, NamedRoute: b.IsNamedRoute}
		for _, s := range b.Segments {
			gb.Segments = append(gb.Segments, goldenTokens(s))
		}
		g.Blocks = append(g.Blocks, gb)
	}
	out, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path+".json", append(out, '\n'), 0o644)
}

func goldenTokens(toks []caddy.Token) []GoldenToken {
	out := []GoldenToken{}
	for _, t := range toks {
		out = append(out, GoldenToken{Text: t.Text, Line: t.Line, Quoted: t.Quoted(), LineBreaks: t.NumLineBreaks()})
	}
	return out
}

// splitCaddyError takes the location off a Caddy error: "MSG, at FILE:LINE…".
func splitCaddyError(file, msg string) (string, int) {
	i := strings.LastIndex(msg, ", at "+file+":")
	if i < 0 {
		if m := lineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			return msg, n
		}
		return msg, 0
	}
	rest := msg[i+len(", at "+file+":"):]
	if j := strings.IndexByte(rest, ' '); j >= 0 {
		rest = rest[:j]
	}
	n, _ := strconv.Atoi(rest)
	return msg[:i], n
}
