package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	gitignore "github.com/sabhiram/go-gitignore"

	"github.com/composelint/composelint/pkg/project"
)

// skippedDirs are never searched for projects: version control, and the
// dependencies of other tools.
var skippedDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// projectDirs returns every directory below root (root included) that holds
// a base compose file, or a project discovery finds without one, in lexical
// order, for --recursive. It skips .git,
// node_modules, vendor, and what the .gitignore files it passes ignore, and
// returns apart the base files below root that cannot run on their own
// (fragments of a test harness, overlays of a file higher up), each with
// why: root's own is linted, as the user named it.
func projectDirs(root string) ([]string, []fragment, error) { return projectDirsWithin(root, 0) }

// fragment is a base compose file that does not run alone, and why.
type fragment struct{ path, why string }

// errWalkLimit: a walk met more directories than it was allowed.
var errWalkLimit = errors.New("too many directories")

// projectDirsWithin is projectDirs visiting at most limit directories
// (none: no limit); past it, errWalkLimit.
func projectDirsWithin(root string, limit int) ([]string, []fragment, error) {
	type ignoreFile struct {
		dir string
		gi  *gitignore.GitIgnore
	}
	var ignores []ignoreFile
	ignored := func(path string, dir bool) bool {
		for _, ig := range ignores {
			rel, err := filepath.Rel(ig.dir, path)
			if err != nil || strings.HasPrefix(rel, "..") {
				continue
			}
			rel = filepath.ToSlash(rel)
			if ig.gi.MatchesPath(rel) || (dir && ig.gi.MatchesPath(rel+"/")) {
				return true
			}
		}
		return false
	}
	var out []string
	var fragments []fragment
	visited := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if visited++; limit > 0 && visited > limit {
			return errWalkLimit
		}
		if path != root && (skippedDirs[d.Name()] || ignored(path, true)) {
			return filepath.SkipDir
		}
		// Rules of a directory's .gitignore apply below it; a walk visits
		// a directory's entries after the directory itself, so the list
		// only grows along the way down (entries of finished subtrees
		// match nothing outside them).
		if gi, err := gitignore.CompileIgnoreFile(filepath.Join(path, ".gitignore")); err == nil {
			ignores = append(ignores, ignoreFile{dir: path, gi: gi})
		}
		files := project.WithoutBase(path) // development or production files alone
		for _, name := range project.BaseNames {
			file := filepath.Join(path, name)
			if st, err := os.Stat(file); err == nil && st.Mode().IsRegular() && !ignored(file, false) {
				files = []string{file}
				break
			}
		}
		if frags := allFragments(files); len(files) > 0 && (len(frags) < len(files) || path == root) {
			out = append(out, path)
		} else {
			fragments = append(fragments, frags...)
		}
		return nil
	})
	return out, fragments, err
}

// allFragments returns the files that do not run on their own, each with
// why, when all of them are such: a directory holding only those is no
// project.
func allFragments(files []string) []fragment {
	var out []fragment
	for _, f := range files {
		why := project.Fragment(f)
		if why == "" {
			return nil
		}
		out = append(out, fragment{f, why})
	}
	return out
}
