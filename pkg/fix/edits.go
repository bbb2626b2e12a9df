// Package fix applies suggested fixes as byte-range edits, verifies that
// each round did only what its fixes declared, and writes files atomically
// (DESIGN.md, decision 3).
package fix

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// span is one edit, resolved to a file path.
type span struct {
	path       string
	start, end int
	text       string
}

// overlaps reports whether two edits of one file touch the same bytes.
// Two insertions at one offset overlap too: their order would be arbitrary.
func (a span) overlaps(b span) bool {
	if a.path != b.path {
		return false
	}
	if a.start == a.end && b.start == b.end {
		return a.start == b.start
	}
	return a.start < b.end && b.start < a.end
}

func spans(f lint.Fix) []span {
	out := make([]span, 0, len(f.Edits))
	for _, e := range f.Edits {
		out = append(out, span{path: e.File.Path, start: e.Start, end: e.End, text: e.NewText})
	}
	return out
}

// selectFixes picks, in order, the fixes whose edits overlap neither each
// other nor an earlier pick; the others wait for the next round.
func selectFixes(fixes []lint.Fix) (picked, deferred []lint.Fix) {
	var taken []span
	for _, f := range fixes {
		ss := spans(f)
		ok := true
		for i, s := range ss {
			for _, t := range taken {
				if s.overlaps(t) {
					ok = false
				}
			}
			for _, t := range ss[:i] {
				if s.overlaps(t) {
					ok = false
				}
			}
		}
		if !ok {
			deferred = append(deferred, f)
			continue
		}
		taken = append(taken, ss...)
		picked = append(picked, f)
	}
	return picked, deferred
}

// apply returns the new contents of every file the fixes edit. contents
// holds the current bytes of each file (absent: the file does not exist).
func apply(contents map[string][]byte, fixes []lint.Fix) (map[string][]byte, error) {
	byFile := map[string][]span{}
	for _, f := range fixes {
		for _, s := range spans(f) {
			byFile[s.path] = append(byFile[s.path], s)
		}
	}
	out := map[string][]byte{}
	for path, ss := range byFile {
		old := contents[path]
		sort.Slice(ss, func(i, j int) bool { return ss[i].start < ss[j].start })
		eol := source.LineEnding(old)
		var b bytes.Buffer
		b.Grow(len(old) + 64)
		last := 0
		for _, s := range ss {
			if s.start < last || s.end < s.start || s.end > len(old) {
				return nil, fmt.Errorf("%s: edit [%d,%d) out of range or overlapping", path, s.start, s.end)
			}
			b.Write(old[last:s.start])
			b.WriteString(source.WithLineEnding(s.text, eol))
			last = s.end
		}
		b.Write(old[last:])
		out[path] = b.Bytes()
	}
	return out, nil
}
