package lsp

import (
	"path/filepath"
	"runtime"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/composelint/composelint/pkg/source"
)

func TestToLSP(t *testing.T) {
	// "é" is two bytes, one rune, one UTF-16 unit; "😀" (U+1F600) is four
	// bytes, one rune, two UTF-16 units (a surrogate pair).
	f := source.New("/p/f.yml", []byte("a: é😀x\r\nb😀c\n\xffz\n"))
	for _, tc := range []struct {
		pos  source.Pos
		want protocol.Position
	}{
		{source.Pos{Line: 1, Col: 1}, protocol.Position{Line: 0, Character: 0}},
		{source.Pos{Line: 1, Col: 4}, protocol.Position{Line: 0, Character: 3}}, // é
		{source.Pos{Line: 1, Col: 5}, protocol.Position{Line: 0, Character: 4}}, // 😀
		{source.Pos{Line: 1, Col: 6}, protocol.Position{Line: 0, Character: 6}}, // x, after the pair
		{source.Pos{Line: 1, Col: 7}, protocol.Position{Line: 0, Character: 7}}, // end of line, before \r\n
		{source.Pos{Line: 1, Col: 99}, protocol.Position{Line: 0, Character: 7}},
		{source.Pos{Line: 2, Col: 3}, protocol.Position{Line: 1, Character: 3}}, // c
		{source.Pos{Line: 3, Col: 2}, protocol.Position{Line: 2, Character: 1}}, // an invalid byte is one character
		{source.Pos{Line: 4, Col: 1}, protocol.Position{Line: 3, Character: 0}}, // after the final newline
	} {
		if got := toLSP(f, tc.pos); got != tc.want {
			t.Errorf("toLSP(%v) = %v, want %v", tc.pos, got, tc.want)
		}
	}
	// Offsets go through the same conversion.
	if got := offsetToLSP(f, len("a: é😀")); got != (protocol.Position{Line: 0, Character: 6}) {
		t.Errorf("offsetToLSP = %v", got)
	}
}

func TestLSPToOffset(t *testing.T) {
	text := []byte("a: é😀x\r\nb😀c\nlast")
	for _, tc := range []struct {
		pos  protocol.Position
		want int
	}{
		{protocol.Position{Line: 0, Character: 0}, 0},
		{protocol.Position{Line: 0, Character: 3}, 3},   // é
		{protocol.Position{Line: 0, Character: 4}, 5},   // 😀
		{protocol.Position{Line: 0, Character: 5}, 5},   // inside the pair: its start
		{protocol.Position{Line: 0, Character: 6}, 9},   // x
		{protocol.Position{Line: 0, Character: 7}, 10},  // end of line, before \r\n
		{protocol.Position{Line: 0, Character: 50}, 10}, // past the end of the line
		{protocol.Position{Line: 1, Character: 3}, 17},  // c
		{protocol.Position{Line: 2, Character: 4}, 23},  // end of text
		{protocol.Position{Line: 9, Character: 0}, 23},  // past the last line
	} {
		if got := lspToOffset(text, tc.pos); got != tc.want {
			t.Errorf("lspToOffset(%v) = %d, want %d", tc.pos, got, tc.want)
		}
	}
	// Round trip over every character boundary of a file.
	f := source.New("/p/f.yml", text)
	for off := 0; off <= len(text); off++ {
		if off < len(text) && (text[off]&0xC0 == 0x80 || text[off] == '\n') {
			continue // inside a rune, or between \r and \n
		}
		if got := lspToOffset(text, offsetToLSP(f, off)); got != off {
			t.Errorf("offset %d → %v → %d", off, offsetToLSP(f, off), got)
		}
	}
}

func TestApplyChange(t *testing.T) {
	text := []byte("a: 😀x\nb: 1\n")
	r := protocol.Range{Start: protocol.Position{Line: 0, Character: 5}, End: protocol.Position{Line: 1, Character: 1}}
	got := applyChange(text, protocol.TextDocumentContentChangeEvent{Range: &r, Text: "y\nc"})
	if string(got) != "a: 😀y\nc: 1\n" {
		t.Errorf("range change: %q", got)
	}
	got = applyChange(text, protocol.TextDocumentContentChangeEventWhole{Text: "whole"})
	if string(got) != "whole" {
		t.Errorf("whole change: %q", got)
	}
}

func TestMinimalEdit(t *testing.T) {
	for _, tc := range []struct {
		old, new string
		want     protocol.TextEdit
	}{
		{"a: 1\nb: 2\n", "a: 1\nb: 2:ro\n", protocol.TextEdit{Range: lspRange(1, 4, 1, 4), NewText: ":ro"}},
		{"x: é\n", "x: è\n", protocol.TextEdit{Range: lspRange(0, 3, 0, 4), NewText: "è"}}, // never half a character
		{"x: 😀\n", "x: 😁\n", protocol.TextEdit{Range: lspRange(0, 3, 0, 5), NewText: "😁"}},
		{"a\r\nb\r\n", "a\r\nx\r\nb\r\n", protocol.TextEdit{Range: lspRange(1, 0, 1, 0), NewText: "x\r\n"}},
		{"same", "same", protocol.TextEdit{Range: lspRange(0, 4, 0, 4), NewText: ""}},
		{"", "new\n", protocol.TextEdit{Range: lspRange(0, 0, 0, 0), NewText: "new\n"}},
		{"gone\n", "", protocol.TextEdit{Range: lspRange(0, 0, 1, 0), NewText: ""}},
	} {
		got := minimalEdit(source.New("/f", []byte(tc.old)), []byte(tc.new))
		if got != tc.want {
			t.Errorf("minimalEdit(%q, %q) = %+v, want %+v", tc.old, tc.new, got, tc.want)
		}
		// Applying it gives the new text.
		start, end := lspToOffset([]byte(tc.old), got.Range.Start), lspToOffset([]byte(tc.old), got.Range.End)
		if res := tc.old[:start] + got.NewText + tc.old[end:]; res != tc.new {
			t.Errorf("minimalEdit(%q, %q) applied gives %q", tc.old, tc.new, res)
		}
	}
}

func lspRange(l1, c1, l2, c2 protocol.UInteger) protocol.Range {
	return protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
}

func TestURIs(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX paths")
	}
	for _, tc := range []struct{ path, uri string }{
		{"/home/me/project/docker-compose.yml", "file:///home/me/project/docker-compose.yml"},
		{"/tmp/with space/#hash/é.yml", "file:///tmp/with%20space/%23hash/%C3%A9.yml"},
	} {
		if got := pathToURI(tc.path); got != tc.uri {
			t.Errorf("pathToURI(%q) = %q, want %q", tc.path, got, tc.uri)
		}
		if got, err := uriToPath(tc.uri); err != nil || got != tc.path {
			t.Errorf("uriToPath(%q) = %q, %v", tc.uri, got, err)
		}
	}
	// Clients encode differently (VS Code escapes more); all decode alike.
	if got, _ := uriToPath("file:///tmp/a%3Ab/./c/../d.yml"); got != filepath.Clean("/tmp/a:b/d.yml") {
		t.Errorf("uriToPath = %q", got)
	}
	for _, bad := range []string{"untitled:Untitled-1", "https://example.com/x.yml", "file:relative.yml", "file://otherhost/x.yml"} {
		if _, err := uriToPath(bad); err == nil {
			t.Errorf("uriToPath(%q) accepted", bad)
		}
	}
}
