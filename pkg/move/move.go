// Package move plans fixes that move compose settings between the files of
// a project: a database service out of what production loads, with
// everything that refers to it, or a development-only setting into the
// development override. Plans are byte-range edits (lint.Fix) made with
// pkg/yamledit's vocabulary; pkg/fix applies and verifies them.
package move

import (
	"path/filepath"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
)

// Loads tells whether an environment loads the file at path.
func Loads(env *load.Result, path string) bool {
	for _, f := range env.Files {
		if f.Path == path {
			return true
		}
	}
	return false
}

// ProjectFile returns the compose file of the project at path: a file some
// environment loads directly (not through include or extends), or nil.
func ProjectFile(proj *lint.Project, path string) *source.File {
	for _, env := range proj.Environments {
		for _, f := range env.Files {
			if f.Path == path {
				return f
			}
		}
	}
	return nil
}

// development returns the development environment other than prod, or nil.
func development(proj *lint.Project, prod *load.Result) *load.Result {
	var dev *load.Result
	for _, env := range proj.Environments {
		if env != prod && env.Name == "development" {
			dev = env
		}
	}
	return dev
}

// configuresEnvironments tells whether .composelint.yaml lists the
// environments (then a created override would not be loaded). A
// configuration that does not parse counts as one that does.
func configuresEnvironments(proj *lint.Project) bool {
	if proj.ReadFile == nil {
		return false
	}
	f, err := proj.ReadFile(filepath.Join(proj.Dir, ".composelint.yaml"))
	if err != nil {
		return false
	}
	var doc map[string]any
	if yaml.Unmarshal(f.Content, &doc) != nil {
		return true
	}
	_, ok := doc["environments"]
	return ok
}

// normalize gives text "\n" line endings.
func normalize(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// quoteList formats names as "`a`, `b` and `c`".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
