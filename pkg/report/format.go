package report

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/composelint/composelint/pkg/lint"
)

// Writer prints diagnostics in one format.
type Writer func(w io.Writer, ds []lint.Diagnostic, o Options) error

// Formats names the output formats, in the order --help lists them.
var Formats = []string{"text", "json", "sarif", "github", "checkstyle", "junit", "gitlab", "rdjson"}

// Lookup returns the writer of the named format.
func Lookup(format string) (Writer, bool) {
	switch format {
	case "text":
		return Text, true
	case "json":
		return JSON, true
	case "sarif":
		return SARIF, true
	case "github":
		return GitHub, true
	case "checkstyle":
		return Checkstyle, true
	case "junit":
		return JUnit, true
	case "gitlab":
		return GitLab, true
	case "rdjson":
		return RDJSON, true
	}
	return nil, false
}

func writeInto(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteFile writes a report to path atomically: a temporary file in the same
// directory (created if missing), synced, then renamed over path, whose mode
// it keeps if it exists. A reader never sees half a report. A path that is
// not a regular file (/dev/stderr, a named pipe) is written into directly.
func WriteFile(path string, data []byte) (err error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real // a symlink stays one: its target gets the report
	}
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		if !st.Mode().IsRegular() {
			// A device or a pipe (/dev/stderr, a FIFO): write into it.
			return writeInto(path, data)
		}
		mode = st.Mode().Perm()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
