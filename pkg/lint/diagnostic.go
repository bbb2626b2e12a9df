// Package lint is the rule engine: rules as values, the passes they run in,
// the diagnostics they report, and the suppression comments that silence them.
package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/composelint/composelint/pkg/source"
)

// Severity of a diagnostic; higher is worse.
type Severity int

const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "off"
}

// ParseSeverity parses "info", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want info, warning or error)", s)
}

// Safety says whether --fix may apply a fix on its own.
type Safety string

const (
	Safe   Safety = "safe"
	Unsafe Safety = "unsafe" // changes what runs: only with --unsafe-fixes
)

// TextEdit replaces the bytes [Start, End) of File with NewText. NewText
// uses "\n" line endings; the fix engine writes the file's own. An edit of
// a file that does not exist yet (File.Content empty, Start = End = 0)
// creates it.
type TextEdit struct {
	File       *source.File
	Start, End int
	NewText    string
}

// Fix is one suggested change, possibly over several files.
type Fix struct {
	Message string
	Safety  Safety
	Edits   []TextEdit
	// Affects lists the model paths (dotted, as in "services.caddy.volumes")
	// under which the fix may change what an environment runs; a path made
	// with InEnvironment may change in that environment only. The fix engine
	// rejects a fix that changes a model anywhere else; none means the model
	// must not change at all (removing an obsolete key, say).
	Affects []string
}

// InEnvironment restricts an Affects path to one environment: a fix that
// moves the database out of production declares
// InEnvironment("production", "services.db"), so that development must stay
// exactly as it was.
func InEnvironment(env, path string) string { return env + ":" + path }

// AffectsIn returns the paths a fix may change in environment env.
func (f Fix) AffectsIn(env string) []string {
	var out []string
	for _, a := range f.Affects {
		if e, path, scoped := strings.Cut(a, ":"); !scoped {
			out = append(out, a)
		} else if e == env {
			out = append(out, path)
		}
	}
	return out
}

// Diagnostic is one finding, at a range of one file.
type Diagnostic struct {
	Rule         string
	Severity     Severity
	Message      string
	File         *source.File
	Range        source.Range
	Environments []string
	Fixes        []Fix
}

// WithoutNodes points the diagnostics and their fixes at copies of their
// files without YAML trees (see source.File.WithoutNodes): a run that keeps
// the findings of many projects until it reports them keeps only those.
func WithoutNodes(ds []Diagnostic) {
	copies := map[*source.File]*source.File{}
	detach := func(f *source.File) *source.File {
		if f == nil {
			return nil
		}
		c, ok := copies[f]
		if !ok {
			c = f.WithoutNodes()
			copies[f] = c
		}
		return c
	}
	for i := range ds {
		d := &ds[i]
		d.File = detach(d.File)
		fixes := slices.Clone(d.Fixes)
		for j := range fixes {
			edits := slices.Clone(fixes[j].Edits)
			for k := range edits {
				edits[k].File = detach(edits[k].File)
			}
			fixes[j].Edits = edits
		}
		d.Fixes = fixes
	}
}
