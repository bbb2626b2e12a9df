package fix

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Write writes a round of fixes as one transaction: every new file is
// prepared beside its target (written, synced, given the original's mode
// and owner), and only when all are ready are they renamed into place. On
// any failure every original stays as it was, and the error names the file.
// Nothing outside the project directory (Dir) is ever written.
func (r *Result) Write() error {
	return r.write(writer{root: r.Dir, fs: osFS{}})
}

func (r *Result) paths() []string {
	out := make([]string, 0, len(r.Fixed))
	for p := range r.Fixed {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func (r *Result) write(w writer) error {
	var ready []*staged
	for _, path := range r.paths() {
		s, err := w.prepare(path, r.Original[path], r.Fixed[path])
		if err != nil {
			discard(ready)
			return fmt.Errorf("cannot write %s: %w; nothing was changed", path, err)
		}
		ready = append(ready, s)
	}
	for i, s := range ready {
		if err := w.fs.Rename(s.tmp, s.target); err != nil {
			undoErr := undo(ready[:i])
			discard(ready)
			if undoErr != nil {
				return fmt.Errorf("cannot write %s: %w; restoring the files written before it failed too: %v", s.path, err, undoErr)
			}
			return fmt.Errorf("cannot write %s: %w; nothing was changed", s.path, err)
		}
	}
	for _, s := range ready {
		if s.backup != "" {
			os.Remove(s.backup)
		}
		syncDir(filepath.Dir(s.target))
	}
	return nil
}
