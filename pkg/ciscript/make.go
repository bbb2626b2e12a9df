package ciscript

import (
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// makefile is what a Makefile's rules run: each target's prerequisites and
// recipe lines (prefixes @, - and + removed, continuations joined, $$ read
// as $; make's own $(VAR)s are left as written).
type makefile struct {
	first   string // the default goal
	prereqs map[string][]string
	recipes map[string][]string
}

// makeRuleRE reads a rule's line: targets, a colon that is no assignment
// (:=, ::=), prerequisites.
var makeRuleRE = regexp.MustCompile(`^([^\s:=#][^:=#]*?)\s*::?\s*([^=]*)$`)

func parseMakefile(src string) *makefile {
	mf := &makefile{prereqs: map[string][]string{}, recipes: map[string][]string{}}
	var current []string
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, `\`) + " " + strings.TrimLeft(lines[i], "\t ")
		}
		if strings.HasPrefix(line, "\t") {
			cmd := strings.TrimLeft(strings.TrimSpace(line), "@-+")
			for _, t := range current {
				mf.recipes[t] = append(mf.recipes[t], strings.ReplaceAll(cmd, "$$", "$"))
			}
			continue
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		current = nil
		m := makeRuleRE.FindStringSubmatch(line)
		if m == nil {
			continue // an assignment, a directive
		}
		prereqs, _, _ := strings.Cut(m[2], "|") // order-only prerequisites run too, but later
		prereqs, _, _ = strings.Cut(prereqs, ";")
		for _, t := range strings.Fields(m[1]) {
			if strings.HasPrefix(t, ".") {
				continue // .PHONY, .DEFAULT_GOAL
			}
			if mf.first == "" {
				mf.first = t
			}
			current = append(current, t)
			mf.prereqs[t] = append(mf.prereqs[t], strings.Fields(prereqs)...)
		}
	}
	return mf
}

// run returns the recipe lines that `make target` runs: its
// prerequisites' first, each target once.
func (mf *makefile) run(target string, seen map[string]bool) []string {
	if seen[target] || len(seen) > 100 {
		return nil
	}
	seen[target] = true
	var out []string
	for _, p := range mf.prereqs[target] {
		out = append(out, mf.run(p, seen)...)
	}
	return append(out, mf.recipes[target]...)
}

// makeValueFlags are make's options that take the next word as their value.
var makeValueFlags = []string{"-C", "--directory", "-f", "--file", "--makefile", "-I", "--include-dir", "-o", "-W", "-l"}

// makeCommands returns the commands a `make [options] [targets]` command c
// runs through the project's Makefile, each at c's place (the CI line that
// runs make), with c's environment; nil when c is no make command or the
// Makefile cannot be read.
func makeCommands(proj *lint.Project, c Command) []Command {
	if len(c.Words) == 0 || (path.Base(c.Words[0]) != "make" && path.Base(c.Words[0]) != "gmake") {
		return nil
	}
	dir, file := proj.Dir, "Makefile"
	var targets []string
	for i := 1; i < len(c.Words); i++ {
		w := c.Words[i]
		switch {
		case (w == "-C" || w == "--directory") && i+1 < len(c.Words):
			dir = filepath.Join(dir, c.Words[i+1])
			i++
		case (w == "-f" || w == "--file" || w == "--makefile") && i+1 < len(c.Words):
			file = c.Words[i+1]
			i++
		case slices.Contains(makeValueFlags, w), w == "-j" && i+1 < len(c.Words) && isNumber(c.Words[i+1]):
			i++
		case strings.HasPrefix(w, "-"), strings.Contains(w, "="):
		default:
			targets = append(targets, w)
		}
	}
	p := filepath.Join(dir, filepath.FromSlash(file))
	if !source.Within(proj.Dir, p) || source.CheckRegular(p) != nil {
		return nil
	}
	f, err := proj.ReadFile(p)
	if err != nil {
		return nil
	}
	mf := parseMakefile(string(f.Content))
	if len(targets) == 0 && mf.first != "" {
		targets = []string{mf.first}
	}
	var out []Command
	seen := map[string]bool{}
	for _, t := range targets {
		for _, line := range mf.run(t, seen) {
			for _, rc := range ShellCommands(c.File, line, c.Line, c.Env) {
				rc.Line = c.Line
				out = append(out, rc)
			}
		}
	}
	return out
}

func isNumber(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
