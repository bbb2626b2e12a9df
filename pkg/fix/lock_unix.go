//go:build unix

package fix

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockWait is how long a fixer waits for another to finish.
const lockWait = 2 * time.Minute

// LockProject takes an advisory lock (flock) on the project directory for
// a read-verify-write cycle: two fixers at once (an editor's fix-on-save
// and a pre-commit hook) would otherwise both move the same service. Take
// it before reading the files. It waits for another fixer, up to a limit.
func LockProject(dir string) (unlock func(), err error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(lockWait)
	for {
		err = syscall.Flock(int(d.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				syscall.Flock(int(d.Fd()), syscall.LOCK_UN)
				d.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			d.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, fmt.Errorf("%s: another composelint has been fixing this project for %v; nothing was changed", dir, lockWait)
			}
			return nil, fmt.Errorf("%s: cannot lock the project: %w", dir, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
