package fix

import (
	"fmt"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Diff returns a unified diff of every fixed file, a patch that `git apply`
// and `patch -p1` accept and that gives exactly the bytes Write writes;
// name turns an absolute path into the name to show.
func (r *Result) Diff(name func(string) string) (string, error) {
	var b strings.Builder
	for _, path := range r.paths() {
		shown := strings.TrimPrefix(name(path), "/")
		from := "a/" + shown
		old, created := r.Original[path], r.Original[path] == nil
		if created {
			from = "/dev/null"
		}
		text, err := udiff.ToUnified(from, "b/"+shown, string(old),
			udiff.Lines(string(old), string(r.Fixed[path])), udiff.DefaultContextLines)
		if err != nil {
			return "", fmt.Errorf("diff of %s: %w", shown, err)
		}
		b.WriteString(text)
	}
	return b.String(), nil
}
