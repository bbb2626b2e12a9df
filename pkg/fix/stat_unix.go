//go:build unix

package fix

import (
	"io/fs"
	"syscall"
)

// hardLinks is the number of names the file has (0 when unknown).
func hardLinks(st fs.FileInfo) uint64 {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(sys.Nlink)
	}
	return 0
}

// fileOwner is the file's user and group; ok is false when unknown.
func fileOwner(st fs.FileInfo) (uid, gid int, ok bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(sys.Uid), int(sys.Gid), true
}
