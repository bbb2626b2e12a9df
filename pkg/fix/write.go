package fix

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Write writes every fixed file atomically: a temporary file in the same
// directory, synced, then renamed over the original, keeping its mode.
func (r *Result) Write() error {
	for _, path := range r.paths() {
		if err := writeAtomic(path, r.Fixed[path]); err != nil {
			return err
		}
	}
	return nil
}

func (r *Result) paths() []string {
	out := make([]string, 0, len(r.Fixed))
	for p := range r.Fixed {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func writeAtomic(path string, data []byte) error {
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".composelint-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
