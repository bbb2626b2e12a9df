package source

import (
	"testing"
)

func TestPositionsCountCharacters(t *testing.T) {
	f := New("x", []byte("a: é\r\nbé: [x, \"y z\"]  # c\n"))
	if got := f.PosOf(5); got != (Pos{1, 5}) { // after "a: é" (é is 2 bytes)
		t.Errorf("PosOf(5) = %v", got)
	}
	if off := f.Offset(Pos{2, 3}); off != 10 {
		t.Errorf("Offset(2:3) = %d, want 10", off)
	}
	if f.Line(1) != "a: é" || f.Lines() != 2 {
		t.Errorf("lines: %q, %d", f.Line(1), f.Lines())
	}
}

func TestSpans(t *testing.T) {
	f := ParseYAML("x", []byte("k: &a !!str \"v w\"  # c\nl: [one, two]\nm: plain text # c\n"))
	root := f.Docs[0]
	for i, want := range []Range{
		{Pos{1, 13}, Pos{1, 18}}, // the quoted scalar, after anchor and tag
		{Pos{2, 5}, Pos{2, 8}},   // "one" inside a flow sequence
		{Pos{3, 4}, Pos{3, 14}},  // a plain scalar up to its comment
	} {
		n := root.Content[2*i+1]
		if i == 1 {
			n = n.Content[0]
		}
		if got := f.Span(n); got != want {
			t.Errorf("span %d = %v, want %v", i, got, want)
		}
	}
}

func TestBadInputIsLocated(t *testing.T) {
	for _, tc := range []struct {
		content string
		line    int
	}{
		{"a: 1\nb: \x00\n", 2},
		{"a: 1\nb: \xe9t\xe9\n", 2},
		{"a:\n  - x\n - y\n", 3},
	} {
		f := ParseYAML("x", []byte(tc.content))
		if f.Err == nil || f.Err.Pos.Line != tc.line {
			t.Errorf("%q: error %v, want one at line %d", tc.content, f.Err, tc.line)
		}
	}
	big := make([]byte, MaxFileSize+1)
	if f := ParseYAML("x", big); f.Err == nil {
		t.Error("a file over the size limit parsed")
	}
}

func TestByteOrderMarkIsNoCharacter(t *testing.T) {
	f := ParseYAML("x", []byte("\xEF\xBB\xBFversion: '3'\nservices: {}\n"))
	if f.Err != nil {
		t.Fatal(f.Err)
	}
	key := f.Docs[0].Content[0]
	if got := f.Span(key); got != (Range{Pos{1, 1}, Pos{1, 8}}) {
		t.Errorf("span of the first key = %v, want 1:1-1:8", got)
	}
	if start, _ := f.LineBounds(1); start != 3 {
		t.Errorf("line 1 starts at byte %d, want 3 (after the BOM)", start)
	}
	if f.Line(1) != "version: '3'" {
		t.Errorf("line 1 = %q", f.Line(1))
	}
}
