//go:build !unix

package fix

import "io/fs"

// hardLinks is 0 (unknown) where os.FileInfo carries no link count.
func hardLinks(fs.FileInfo) uint64 { return 0 }

// fileOwner is unknown where files have no Unix owner: a new file keeps
// what the system gives it.
func fileOwner(fs.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }
