package fix

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// faultyFS fails one step (create, write, sync, chmod, rename) on its nth
// file, and passes everything else to the disk.
type faultyFS struct {
	osFS
	step string
	n    int
	seen map[string]int
}

var errInjected = errors.New("injected fault")

func (f *faultyFS) hit(step string) bool {
	if f.seen == nil {
		f.seen = map[string]int{}
	}
	f.seen[step]++
	return step == f.step && f.seen[step] == f.n
}

func (f *faultyFS) CreateTemp(dir, pattern string) (tempFile, error) {
	if f.hit("create") {
		return nil, errInjected
	}
	t, err := f.osFS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultyTemp{tempFile: t, fs: f}, nil
}

func (f *faultyFS) Rename(from, to string) error {
	if f.hit("rename") {
		return errInjected
	}
	return f.osFS.Rename(from, to)
}

type faultyTemp struct {
	tempFile
	fs *faultyFS
}

func (t *faultyTemp) Write(p []byte) (int, error) {
	if t.fs.hit("write") {
		return 0, errInjected // a full disk
	}
	return t.tempFile.Write(p)
}

func (t *faultyTemp) Sync() error {
	if t.fs.hit("sync") {
		return errInjected
	}
	return t.tempFile.Sync()
}

// roundOf three existing files and one new one, in dir.
func roundOf(t *testing.T, dir string) *Result {
	t.Helper()
	r := &Result{Dir: dir, Original: map[string][]byte{}, Fixed: map[string][]byte{}}
	for _, name := range []string{"a.yml", "b.yml", "c.yml"} {
		p := filepath.Join(dir, name)
		old := "old " + name + "\n"
		if err := os.WriteFile(p, []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
		r.Original[p] = []byte(old)
		r.Fixed[p] = []byte("new " + name + "\n")
	}
	p := filepath.Join(dir, "sub", "d.yml")
	r.Original[p] = nil
	r.Fixed[p] = []byte("new d.yml\n")
	return r
}

// listing is every name below dir.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		out = append(out, rel)
		return nil
	})
	slices.Sort(out)
	return out
}

// TestWriteIsAllOrNothing: whichever step fails on whichever file, every
// original is left as it was, no temporary file remains, and the error
// names the file and says nothing was changed.
func TestWriteIsAllOrNothing(t *testing.T) {
	for _, step := range []string{"create", "write", "sync", "rename"} {
		for n := 1; n <= 4; n++ {
			t.Run(fmt.Sprintf("%s-%d", step, n), func(t *testing.T) {
				dir := t.TempDir()
				r := roundOf(t, dir)
				before := listing(t, dir)
				err := r.write(writer{root: dir, fs: &faultyFS{step: step, n: n}})
				if err == nil {
					t.Fatal("the fault did not fail the write")
				}
				if !strings.Contains(err.Error(), "nothing was changed") || !strings.Contains(err.Error(), ".yml") {
					t.Errorf("error %q: want the file named and 'nothing was changed'", err)
				}
				for p, old := range r.Original {
					got, rerr := os.ReadFile(p)
					if old == nil && rerr == nil {
						t.Errorf("%s was created", p)
					}
					if old != nil && string(got) != string(old) {
						t.Errorf("%s changed to %q", p, got)
					}
				}
				if after := listing(t, dir); !slices.Equal(before, after) {
					t.Errorf("files left behind: %v, was %v", after, before)
				}
			})
		}
	}
	dir := t.TempDir()
	r := roundOf(t, dir)
	if err := r.Write(); err != nil {
		t.Fatal(err)
	}
	for p, want := range r.Fixed {
		if got, _ := os.ReadFile(p); string(got) != string(want) {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
}

// TestWriteThroughSymlink: a compose file that is a symlink stays one, and
// its target gets the fixed content.
func TestWriteThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real", "compose.yaml")
	os.MkdirAll(filepath.Dir(target), 0o755)
	os.WriteFile(target, []byte("old\n"), 0o644)
	link := filepath.Join(dir, "compose.yaml")
	if err := os.Symlink(filepath.Join("real", "compose.yaml"), link); err != nil {
		t.Fatal(err)
	}
	r := &Result{Dir: dir, Original: map[string][]byte{link: []byte("old\n")}, Fixed: map[string][]byte{link: []byte("new\n")}}
	if err := r.Write(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a regular file")
	}
	if got, _ := os.ReadFile(target); string(got) != "new\n" {
		t.Errorf("target = %q, want the fixed content", got)
	}
}

// TestWriteRefuses: a read-only file, a hard-linked file, a file outside
// the project directory (also through a symlink), a file changed on disk
// since it was read: refused, naming the file, nothing written.
func TestWriteRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir, file string) string // returns the path to write
		want  string
	}{
		{"read-only", func(t *testing.T, dir, file string) string {
			os.Chmod(file, 0o444)
			return file
		}, "read-only"},
		{"hard-linked", func(t *testing.T, dir, file string) string {
			if err := os.Link(file, filepath.Join(dir, "twin.yml")); err != nil {
				t.Skip(err)
			}
			return file
		}, "hard link"},
		{"outside", func(t *testing.T, dir, file string) string {
			outside := filepath.Join(t.TempDir(), "other.yml")
			os.WriteFile(outside, []byte("old\n"), 0o644)
			return outside
		}, "outside the project directory"},
		{"symlink outside", func(t *testing.T, dir, file string) string {
			outside := filepath.Join(t.TempDir(), "other.yml")
			os.WriteFile(outside, []byte("old\n"), 0o644)
			link := filepath.Join(dir, "linked.yml")
			os.Symlink(outside, link)
			return link
		}, "outside the project directory"},
		{"changed on disk", func(t *testing.T, dir, file string) string {
			os.WriteFile(file, []byte("someone else's edit\n"), 0o644)
			return file
		}, "changed on disk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "compose.yaml")
			os.WriteFile(file, []byte("old\n"), 0o644)
			path := tc.setup(t, dir, file)
			disk, _ := os.ReadFile(path)
			r := &Result{Dir: dir, Original: map[string][]byte{path: []byte("old\n")}, Fixed: map[string][]byte{path: []byte("new\n")}}
			err := r.Write()
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), filepath.Base(path)) {
				t.Errorf("error %v; want one naming %s and saying %q", err, filepath.Base(path), tc.want)
			}
			if got, _ := os.ReadFile(path); string(got) != string(disk) {
				t.Errorf("%s was written: %q", path, got)
			}
		})
	}
}

// TestWriteKeepsOwnerAndMode: run as root over someone else's files, the
// fixed files keep their owner, group and mode; a new file gets the owner
// of its directory.
func TestWriteKeepsOwnerAndMode(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another user")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	os.WriteFile(file, []byte("old\n"), 0o600)
	const uid, gid = 12345, 23456
	if err := os.Chown(file, uid, gid); err != nil {
		t.Fatal(err)
	}
	os.Chmod(file, 0o640)
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	created := filepath.Join(dir, "compose.override.yaml")
	r := &Result{Dir: dir, Original: map[string][]byte{file: []byte("old\n"), created: nil},
		Fixed: map[string][]byte{file: []byte("new\n"), created: []byte("new\n")}}
	if err := r.Write(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{file, created} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		sys := st.Sys().(*syscall.Stat_t)
		if sys.Uid != uid || sys.Gid != gid {
			t.Errorf("%s: owner %d:%d, want %d:%d", filepath.Base(p), sys.Uid, sys.Gid, uid, gid)
		}
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", st.Mode().Perm())
	}
}
