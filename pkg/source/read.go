package source

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError is the refusal to read anything but a regular file: a
// FIFO would block the reader forever, a device never ends.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s: not a regular file (%s); composelint reads only regular files", e.Path, kind(e.Mode))
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "mode " + m.String()
}

// CheckRegular returns a *NotRegularError unless path (through symlinks)
// is a regular file; a missing file is the *fs.PathError of os.Stat.
func CheckRegular(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return &NotRegularError{Path: path, Mode: st.Mode()}
	}
	return nil
}

// ReadFile reads a regular file, and no more than one byte past
// MaxFileSize: the parser then reports the size instead of the reader
// holding a file of any size.
func ReadFile(path string) ([]byte, error) {
	// Checked before opening: opening a FIFO blocks until a writer comes.
	if err := CheckRegular(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Checked again on what was opened, in case the path changed between.
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, &NotRegularError{Path: path, Mode: st.Mode()}
	}
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}
