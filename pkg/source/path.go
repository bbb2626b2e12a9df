package source

import (
	"path/filepath"
	"strings"
)

// Within reports whether path is dir or lies below it (both absolute).
func Within(dir, path string) bool {
	if dir == "" {
		return false
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Rel is how reports and messages name a file: relative to dir, with
// slashes, when it lies within dir; else the path as it is.
func Rel(dir, path string) string {
	if !Within(dir, path) {
		return path
	}
	rel, _ := filepath.Rel(dir, path)
	return filepath.ToSlash(rel)
}
