package rules

import (
	"testing"

	"github.com/composelint/composelint/pkg/source"
)

func TestProxyROFixEdits(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"- static:/srv/static\n", "- static:/srv/static:ro\n"},
		{"- \"static:/srv/static\"  # comment\n", "- \"static:/srv/static:ro\"  # comment\n"},
		{"- 'static:/srv/static:rw'\n", "- 'static:/srv/static:ro'\n"},
		{"- static:/srv/static:z\n", "- static:/srv/static:ro,z\n"},
		{"- static:/srv/static:rw,z\n", "- static:/srv/static:ro,z\n"},
		{"- type: volume\n  source: static\n  target: /srv/static\n", "- type: volume\n  source: static\n  target: /srv/static\n  read_only: true\n"},
		{"- type: volume\n  source: static\n  target: /srv/static", "- type: volume\n  source: static\n  target: /srv/static\n  read_only: true"},
		{"- type: volume\n  read_only: false\n  source: static\n  target: /srv/static\n", "- type: volume\n  read_only: true\n  source: static\n  target: /srv/static\n"},
		{"- {type: volume, source: static, target: /srv/static}\n", "- {type: volume, source: static, target: /srv/static, read_only: true}\n"},
		{"- \"static:/srv/st\\u0061tic\"\n", ""}, // an escape: not edited
	} {
		f := source.ParseYAML("/project/compose.yaml", []byte(tc.in))
		if f.Err != nil {
			t.Fatalf("%q: %v", tc.in, f.Err)
		}
		item := f.Docs[0].Content[0]
		edits := roFixEdits(f, item)
		got := ""
		if len(edits) > 0 {
			b := []byte(tc.in)
			e := edits[0]
			got = string(b[:e.Start]) + e.NewText + string(b[e.End:])
		}
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}
