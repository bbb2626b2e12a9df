// Package ciscript reads what a project's CI runs: the CI configs (.gitlab-ci.yml,
// .github/workflows/*.yml), the scripts they run (in a compose service or
// not), and the commands of those scripts with the environment each command
// gets (`VAR=value cmd` prefixes and earlier `export`s), read with a real
// shell parser (mvdan.cc/sh through pkg/shell).
package ciscript

import (
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v4"
	"mvdan.cc/sh/v3/syntax"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/shell"
	"github.com/composelint/composelint/pkg/source"
	"github.com/composelint/composelint/pkg/yamledit"
)

// Command is one simple command CI runs.
type Command struct {
	Words []string          // the command's words, program first, env prefixes left out
	Env   map[string]string // the variables it gets: its own prefixes, earlier exports
	File  *source.File
	Line  int
}

// Entry is a line of a CI config that runs commands, and the script it
// runs (nil when it runs commands directly).
type Entry struct {
	Config  *source.File
	Line    int
	Service string // the compose service it runs in ("" when none)
	Script  *source.File
}

// configs returns the CI config files of the project.
func configs(dir string) []string {
	var out []string
	for _, n := range []string{".gitlab-ci.yml", ".gitlab-ci.yaml"} {
		if p := filepath.Join(dir, n); source.CheckRegular(p) == nil {
			out = append(out, p)
		}
	}
	for _, ext := range []string{"*.yml", "*.yaml"} {
		m, _ := filepath.Glob(filepath.Join(dir, ".github", "workflows", ext))
		out = append(out, m...)
	}
	return out
}

// shellLine is a shell line of a CI config and the variables CI gives it.
type shellLine struct {
	Node *yaml.Node
	Env  map[string]string
}

// shellLines returns the shell lines of a CI config — GitLab's script,
// before_script and after_script items, GitHub's run steps (aliases
// followed) — each with the variables of the mappings around it (GitLab's
// `variables`, GitHub's `env`).
func shellLines(f *source.File, github bool) []shellLine {
	var out []shellLine
	seen := map[*yaml.Node]bool{}
	isScript := func(key string) bool {
		if github {
			return key == "run"
		}
		return key == "script" || key == "before_script" || key == "after_script"
	}
	var walk func(n *yaml.Node, key string, env map[string]string, depth int)
	walk = func(n *yaml.Node, key string, env map[string]string, depth int) {
		n = yamledit.Deref(n)
		if n == nil || depth > 32 {
			return
		}
		switch n.Kind {
		case yaml.ScalarNode:
			if isScript(key) && !seen[n] {
				seen[n] = true
				out = append(out, shellLine{Node: n, Env: env})
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				if isScript(key) {
					walk(c, key, env, depth+1)
				} else {
					walk(c, "", env, depth+1)
				}
			}
		case yaml.MappingNode:
			inner := env
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := n.Content[i].Value; k == "env" || k == "variables" {
					if vars := yamledit.Deref(n.Content[i+1]); vars != nil && vars.Kind == yaml.MappingNode {
						inner = maps.Clone(env)
						for j := 0; j+1 < len(vars.Content); j += 2 {
							inner[vars.Content[j].Value] = yamledit.Deref(vars.Content[j+1]).Value
						}
					}
				}
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], n.Content[i].Value, inner, depth+1)
			}
		}
	}
	for _, d := range f.Docs {
		walk(d, "", map[string]string{}, 0)
	}
	return out
}

// Entries reads the CI configs: each line that runs a script of the
// project (in a compose service, `docker compose run … web ./ci.sh`, or
// directly), and the commands they run directly.
func Entries(proj *lint.Project) (entries []Entry, direct []Command) {
	for _, cfg := range configs(proj.Dir) {
		raw, err := proj.ReadFile(cfg)
		if err != nil {
			continue
		}
		f := source.ParseYAML(cfg, raw.Content)
		github := strings.Contains(filepath.ToSlash(cfg), "/.github/workflows/")
		for _, l := range shellLines(f, github) {
			first := l.Node.Line
			if l.Node.Style&yaml.LiteralStyle != 0 {
				first++ // `run: |`: the script starts on the line below
			}
			for _, c := range ShellCommands(f, l.Node.Value, first, maps.Clone(l.Env)) {
				words, service := composeRunCommand(c.Words)
				if len(words) == 0 {
					continue
				}
				c.Words = words
				if script := projectScript(proj, words); script != nil {
					entries = append(entries, Entry{Config: f, Line: c.Line, Service: service, Script: script})
					continue
				}
				if made := makeCommands(proj, c); made != nil {
					direct = append(direct, made...) // `make check`: what its recipes run
					continue
				}
				direct = append(direct, c)
			}
		}
	}
	return entries, direct
}

// composeRunCommand returns the command that `docker compose run|exec
// [options] SERVICE CMD…` (or docker-compose) runs, and the service; other
// commands are returned as they are.
func composeRunCommand(words []string) (cmd []string, service string) {
	i := 0
	switch {
	case len(words) > 1 && path.Base(words[0]) == "docker" && words[1] == "compose":
		i = 2
	case len(words) > 0 && path.Base(words[0]) == "docker-compose":
		i = 1
	default:
		return words, ""
	}
	// global options (-f FILE, -p NAME, --progress=plain…), then run or exec
	for i < len(words) && strings.HasPrefix(words[i], "-") {
		if !strings.Contains(words[i], "=") && slices.Contains([]string{"-f", "--file", "-p", "--project-name", "--env-file", "--profile", "--progress", "--project-directory", "--ansi"}, words[i]) {
			i++
		}
		i++
	}
	if i >= len(words) || (words[i] != "run" && words[i] != "exec") {
		return nil, ""
	}
	i++
	for i < len(words) && strings.HasPrefix(words[i], "-") {
		if !strings.Contains(words[i], "=") && slices.Contains([]string{"-e", "--env", "-u", "--user", "-w", "--workdir", "-v", "--volume", "-p", "--publish", "--name", "--entrypoint", "-l", "--label", "--pull", "--index", "--cap-add", "--cap-drop"}, words[i]) {
			i++
		}
		i++
	}
	if i >= len(words) {
		return nil, ""
	}
	return words[i+1:], words[i]
}

// projectScript returns the project's shell script that a command runs
// (`./docker/ci.sh`, `sh ./docker/ci.sh`, `bash -e scripts/ci.sh`), read
// relative to the project directory, where CI and the app's image keep it.
func projectScript(proj *lint.Project, words []string) *source.File {
	if len(words) == 0 {
		return nil
	}
	prog := path.Base(words[0])
	cand := words[0]
	if prog == "sh" || prog == "bash" || prog == "dash" || prog == "ash" {
		cand = ""
		for _, w := range words[1:] {
			if !strings.HasPrefix(w, "-") {
				cand = w
				break
			}
			if strings.Contains(w, "c") && !strings.HasPrefix(w, "--") {
				return nil // sh -c BODY: commands, not a script
			}
		}
	}
	if cand == "" || strings.Contains(cand, "$") || path.IsAbs(cand) && !strings.HasSuffix(cand, ".sh") {
		return nil
	}
	rel := strings.TrimPrefix(cand, "/code/") // the template's WORKDIR holds the project
	host := filepath.Join(proj.Dir, filepath.FromSlash(strings.TrimPrefix(rel, "/")))
	if !source.Within(proj.Dir, host) || source.CheckRegular(host) != nil {
		return nil
	}
	f, err := proj.ReadFile(host)
	if err != nil || !shell.IsScript(host, f.Content) {
		return nil
	}
	return f
}

// ScriptCommands returns the commands of a script and of the project's
// scripts it runs (three levels deep at most), in source order.
func ScriptCommands(proj *lint.Project, f *source.File) []Command {
	return scriptCommands(proj, f, 0)
}

// scriptCommands returns the commands of a script and of the project's
// scripts it runs (a few levels deep), in source order.
func scriptCommands(proj *lint.Project, f *source.File, depth int) []Command {
	var out []Command
	for _, c := range ShellCommands(f, string(f.Content), 1, map[string]string{}) {
		if depth < 3 {
			if sub := projectScript(proj, c.Words); sub != nil && sub.Path != f.Path {
				out = append(out, scriptCommands(proj, sub, depth+1)...)
				continue
			}
			if made := makeCommands(proj, c); made != nil {
				out = append(out, made...)
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// ShellCommands parses src (which starts at line first of f) and returns its
// simple commands in source order, each with the environment it gets:
// variables exported before it and its own prefixes. Function bodies are
// read where they are defined.
func ShellCommands(f *source.File, src string, first int, exported map[string]string) []Command {
	file := shell.Parse(src)
	if file == nil {
		return nil
	}
	if exported == nil {
		exported = map[string]string{}
	}
	var out []Command
	syntax.Walk(file, func(n syntax.Node) bool {
		switch c := n.(type) {
		case *syntax.DeclClause:
			if c.Variant != nil && c.Variant.Value == "export" {
				for _, a := range c.Args {
					if a.Name != nil && a.Value != nil {
						exported[a.Name.Value] = shellLit(a.Value)
					}
				}
			}
		case *syntax.CallExpr:
			if len(c.Args) == 0 {
				return true
			}
			env := make(map[string]string, len(exported)+len(c.Assigns))
			for k, v := range exported {
				env[k] = v
			}
			for _, a := range c.Assigns {
				if a.Name != nil {
					env[a.Name.Value] = shellLit(a.Value)
				}
			}
			words := make([]string, 0, len(c.Args))
			for _, w := range c.Args {
				words = append(words, shellLit(w))
			}
			// env VAR=value cmd, exec cmd: what runs, with its environment
			for len(words) > 0 && (words[0] == "exec" || words[0] == "env" || shell.IsAssignment(words[0])) {
				if k, v, ok := strings.Cut(words[0], "="); ok && words[0] != "env" {
					env[k] = v
				}
				words = words[1:]
			}
			out = append(out, Command{Words: words, Env: env, File: f, Line: first + int(c.Pos().Line()) - 1})
		}
		return true
	})
	return out
}

// shellLit is a word's text with quotes removed; expansions are kept as
// written ($VAR, $(cmd)).
func shellLit(w *syntax.Word) string {
	if w == nil {
		return ""
	}
	var b strings.Builder
	for _, part := range w.Parts {
		switch x := part.(type) {
		case *syntax.Lit:
			b.WriteString(x.Value)
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					b.WriteString(l.Value)
				} else {
					b.WriteString("$")
				}
			}
		default:
			b.WriteString("$")
		}
	}
	return b.String()
}
