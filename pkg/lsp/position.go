package lsp

import (
	"unicode/utf8"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/composelint/composelint/pkg/source"
)

// Positions: composelint counts lines from 1 and columns in characters
// (runes) from 1; LSP counts lines from 0 and characters in UTF-16 code
// units from 0, so a character outside the Basic Multilingual Plane (an
// emoji, say) is one column for us and two characters for the client.

// utf16Len is the number of UTF-16 code units of r. An invalid byte, which
// decodes as utf8.RuneError, counts as one, as it does as one rune.
func utf16Len(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}

// toLSP converts a position of f to an LSP position.
func toLSP(f *source.File, p source.Pos) protocol.Position {
	line := max(p.Line, 1)
	units, col := 0, 1
	for _, r := range f.Line(line) {
		if col >= p.Col {
			break
		}
		units += utf16Len(r)
		col++
	}
	return protocol.Position{Line: protocol.UInteger(line - 1), Character: protocol.UInteger(units)}
}

// rangeToLSP converts a range of f to an LSP range.
func rangeToLSP(f *source.File, r source.Range) protocol.Range {
	return protocol.Range{Start: toLSP(f, r.Start), End: toLSP(f, r.End)}
}

// offsetToLSP converts a byte offset of f to an LSP position.
func offsetToLSP(f *source.File, off int) protocol.Position {
	return toLSP(f, f.PosOf(off))
}

// lspToOffset converts an LSP position to a byte offset of text. A line
// past the end is the end of the text; a character past the end of its
// line is the end of the line (before its "\r\n" or "\n"), as the protocol
// says; a character inside a surrogate pair is the start of that rune.
func lspToOffset(text []byte, p protocol.Position) int {
	off := 0
	for line := protocol.UInteger(0); line < p.Line; line++ {
		i := indexNewline(text[off:])
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	units := 0
	for off < len(text) && text[off] != '\n' {
		if text[off] == '\r' && (off+1 == len(text) || text[off+1] == '\n') {
			break
		}
		r, n := utf8.DecodeRune(text[off:])
		w := utf16Len(r)
		if units+w > int(p.Character) {
			break
		}
		units += w
		off += n
	}
	return off
}

func indexNewline(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return -1
}

// before reports whether a comes before b.
func before(a, b protocol.Position) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Character < b.Character)
}

// touches reports whether two ranges overlap or meet (a cursor at the end
// of a diagnostic touches it).
func touches(a, b protocol.Range) bool {
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}

// contains reports whether r contains p, its ends included.
func contains(r protocol.Range, p protocol.Position) bool {
	return !before(p, r.Start) && !before(r.End, p)
}
