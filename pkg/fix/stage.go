package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/composelint/composelint/pkg/source"
)

// fileSystem is what writing needs from the disk; tests put faults in it.
type fileSystem interface {
	CreateTemp(dir, pattern string) (tempFile, error)
	Rename(from, to string) error
}

type tempFile interface {
	Name() string
	Write(p []byte) (int, error)
	Sync() error
	Close() error
	Chmod(mode fs.FileMode) error
	Chown(uid, gid int) error
}

type osFS struct{}

func (osFS) CreateTemp(dir, pattern string) (tempFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (osFS) Rename(from, to string) error { return os.Rename(from, to) }

type writer struct {
	root string
	fs   fileSystem
}

// staged is one file of a round, ready to be renamed into place.
type staged struct {
	path   string // as the project names it
	target string // the file written: path through its symlinks
	tmp    string // the new content, beside target
	// backup is a hard link to the original, to undo the rename with; ""
	// for a new file, or where the file system has no hard links (then
	// original is written back).
	backup   string
	original []byte
	existed  bool
	dirs     []string // directories made for a new file, deepest last
}

// prepare checks that path may be written and writes its new content to a
// temporary file beside it.
func (w writer) prepare(path string, original, fixed []byte) (*staged, error) {
	target, err := resolve(path)
	if err != nil {
		return nil, err
	}
	if err := w.inside(target); err != nil {
		return nil, err
	}
	s := &staged{path: path, target: target, original: original}
	st, err := os.Stat(target)
	switch {
	case err == nil:
		s.existed = true
		if err := checkExisting(target, st, original); err != nil {
			return nil, err
		}
	case errors.Is(err, fs.ErrNotExist):
		if original != nil {
			return nil, fmt.Errorf("it was removed since composelint read it")
		}
		if s.dirs, err = mkdirs(filepath.Dir(target)); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	if err := w.stage(s, st, fixed); err != nil {
		discard([]*staged{s})
		return nil, err
	}
	return s, nil
}

// checkExisting refuses what a rename would silently get wrong.
func checkExisting(target string, st fs.FileInfo, original []byte) error {
	if !st.Mode().IsRegular() {
		return fmt.Errorf("it is not a regular file")
	}
	if st.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("it is read-only (mode %04o): make it writable to fix it", st.Mode().Perm())
	}
	if n := hardLinks(st); n > 1 {
		return fmt.Errorf("it has %d hard links, which a new file would split from it: fix it with --diff and apply the diff", n)
	}
	disk, err := os.ReadFile(target)
	if err != nil {
		return err
	}
	if !bytes.Equal(disk, original) {
		return fmt.Errorf("it changed on disk since composelint read it: run again")
	}
	return nil
}

// stage writes the new content beside the target with the original's mode
// and owner (or, for a new file, its directory's owner), and links a backup.
func (w writer) stage(s *staged, st fs.FileInfo, fixed []byte) error {
	dir := filepath.Dir(s.target)
	tmp, err := w.fs.CreateTemp(dir, "."+filepath.Base(s.target)+".composelint-*")
	if err != nil {
		return err
	}
	s.tmp = tmp.Name()
	mode := fs.FileMode(0o644)
	owner := st
	if st != nil {
		mode = st.Mode().Perm() | st.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)
	} else if dst, err := os.Stat(dir); err == nil {
		owner = dst
	}
	err = writeAll(tmp, fixed, mode)
	if err == nil && owner != nil {
		err = keepOwner(tmp, owner)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil || !s.existed {
		return err
	}
	// The original stays reachable until every rename is done.
	backup := s.tmp + ".orig"
	if os.Link(s.target, backup) == nil {
		s.backup = backup
	}
	return nil
}

func writeAll(f tempFile, data []byte, mode fs.FileMode) error {
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Chmod(mode)
}

// keepOwner gives the new file the owner and group of like, when they are
// not already those a new file gets (root fixing another user's checkout).
func keepOwner(f tempFile, like fs.FileInfo) error {
	uid, gid, ok := fileOwner(like)
	if !ok || uid == os.Geteuid() && gid == os.Getegid() {
		return nil
	}
	if err := f.Chown(uid, gid); err != nil {
		return fmt.Errorf("cannot keep its owner and group (%d:%d): %w", uid, gid, err)
	}
	return nil
}

// resolve follows the symlinks of path: of the file, or of the nearest
// directory that exists when the file is new.
func resolve(path string) (string, error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real, nil
	}
	dir, rest := filepath.Dir(path), []string{filepath.Base(path)}
	for {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if parent := filepath.Dir(dir); parent != dir {
			rest = append([]string{filepath.Base(dir)}, rest...)
			dir = parent
			continue
		}
		return "", fmt.Errorf("no directory of it exists")
	}
}

// inside refuses a target outside the project directory.
func (w writer) inside(target string) error {
	if w.root == "" {
		return fmt.Errorf("the project directory is not known")
	}
	root, err := filepath.EvalSymlinks(w.root)
	if err != nil {
		return fmt.Errorf("project directory %s: %w", w.root, err)
	}
	if !source.Within(root, target) {
		return fmt.Errorf("it is outside the project directory %s", w.root)
	}
	return nil
}

// mkdirs makes dir and its missing parents, and returns those it made.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append([]string{d}, missing...)
	}
	for i, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil {
			removeDirs(missing[:i])
			return nil, err
		}
	}
	return missing, nil
}

func removeDirs(dirs []string) {
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i])
	}
}

// undo puts back the originals of files already renamed into place.
func undo(done []*staged) error {
	var errs []error
	for i := len(done) - 1; i >= 0; i-- {
		s := done[i]
		var err error
		switch {
		case !s.existed:
			err = os.Remove(s.target)
		case s.backup != "":
			err = os.Rename(s.backup, s.target)
			if err == nil {
				s.backup = ""
			}
		default:
			err = os.WriteFile(s.target, s.original, 0)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.path, err))
		}
	}
	return errors.Join(errs...)
}

// discard removes what preparing made: temporary files, backups, and the
// directories made for new files.
func discard(ready []*staged) {
	for _, s := range ready {
		if s.tmp != "" {
			os.Remove(s.tmp)
		}
		if s.backup != "" {
			os.Remove(s.backup)
		}
		removeDirs(s.dirs)
	}
}

// syncDir makes the renames in dir durable; a failure is not the write's.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
