package load

import (
	"crypto/sha256"
	"slices"
	"sync"

	"github.com/composelint/composelint/pkg/source"
)

// Cache keeps loaded environments, so that an environment none of whose
// inputs changed is not loaded again: an editor re-lints the whole project on
// every change of one file, and compose-go's load is most of a lint.
type Cache struct {
	mu      sync.Mutex
	entries map[[32]byte]*cacheEntry
	order   [][32]byte // oldest first
}

// cacheSize bounds the environments kept (a few projects' worth).
const cacheSize = 32

type cacheEntry struct {
	result *Result
	// opened are the files reached through include and extends, by content hash.
	opened map[string][32]byte
	// read are the other files the load read (an included project's .env).
	read map[string][32]byte
	// envFiles are the env files compose-go read from disk.
	envFiles map[string][32]byte
}

// diskSum hashes a file on disk (zero when it cannot be read): env files
// are small, and a hash does not depend on the file system's clock.
func diskSum(path string) [32]byte {
	data, err := source.ReadFile(path)
	if err != nil {
		return [32]byte{}
	}
	return sha256.Sum256(data)
}

// key hashes everything a load reads directly: the environment, the
// project directory, the files' names and bytes, the interpolation values.
func key(in Input) [32]byte {
	h := sha256.New()
	h.Write([]byte(in.Name + "\x00" + in.WorkingDir + "\x00"))
	for _, f := range in.Files {
		h.Write([]byte(f.Path + "\x00"))
		sum := sha256.Sum256(f.Content)
		h.Write(sum[:])
	}
	names := make([]string, 0, len(in.Env))
	for k := range in.Env {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		h.Write([]byte(k + "=" + in.Env[k] + "\x00"))
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// Load is load.Load through the cache: a cached environment is returned when
// its files, values, included files and env files are all as they were.
func (c *Cache) Load(in Input) *Result {
	if c == nil {
		return Load(in)
	}
	k := key(in)
	c.mu.Lock()
	e := c.entries[k]
	c.mu.Unlock()
	if e != nil && e.valid(in) {
		return e.result
	}
	// Record what the load opens besides its own files.
	opened := map[string][32]byte{}
	var openMu sync.Mutex
	inner := in.Open
	in.Open = func(path string) *source.File {
		var f *source.File
		if inner != nil {
			f = inner(path)
		}
		openMu.Lock()
		if f != nil {
			opened[path] = sha256.Sum256(f.Content)
		} else {
			opened[path] = [32]byte{}
		}
		openMu.Unlock()
		return f
	}
	read := map[string][32]byte{}
	if innerRead := in.ReadFile; innerRead != nil {
		in.ReadFile = func(path string) ([]byte, error) {
			data, err := innerRead(path)
			openMu.Lock()
			if err == nil {
				read[path] = sha256.Sum256(data)
			} else {
				read[path] = [32]byte{}
			}
			openMu.Unlock()
			return data, err
		}
	}
	r := Load(in)
	e = &cacheEntry{result: r, opened: opened, read: read, envFiles: map[string][32]byte{}}
	if r.Project != nil {
		for _, svc := range r.Project.Services {
			for _, ef := range svc.EnvFiles {
				e.envFiles[ef.Path] = diskSum(ef.Path)
			}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[[32]byte]*cacheEntry{}
	}
	if _, ok := c.entries[k]; !ok {
		c.order = append(c.order, k)
	}
	c.entries[k] = e
	for len(c.order) > cacheSize {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	return r
}

func (e *cacheEntry) valid(in Input) bool {
	for path, sum := range e.opened {
		var got [32]byte
		if in.Open != nil {
			if f := in.Open(path); f != nil {
				got = sha256.Sum256(f.Content)
			}
		}
		if got != sum {
			return false
		}
	}
	for path, sum := range e.envFiles {
		if diskSum(path) != sum {
			return false
		}
	}
	for path, sum := range e.read {
		var got [32]byte
		if in.ReadFile != nil {
			if data, err := in.ReadFile(path); err == nil {
				got = sha256.Sum256(data)
			}
		}
		if got != sum {
			return false
		}
	}
	return true
}
