// Package shell reads what a command line runs: a compose command or
// entrypoint, the body of an `sh -c`, and the shell scripts of the project
// these start, with a real shell parser (mvdan.cc/sh). It follows `&&`, `;`,
// `if`, `case "$1"`, functions, `exec`, `source` and the scripts a command
// starts, and reports the commands a matcher picks, with their positions.
package shell

import (
	"bytes"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// MaxScriptDepth bounds how many scripts deep a command is followed.
const MaxScriptDepth = 3

// A Matcher finds the command it looks for in words (the program first)
// and returns the span of words that says so.
type Matcher func(words []string) (start, end int, ok bool)

// Hit is one command the matcher found.
type Hit struct {
	Text string // the command, as written ("python manage.py migrate")
	File string // the script it is in (as Resolve returned it); "" when in the argv itself
	Line int    // its line in File
	// ArgIdx is the index, in the argv, of the word that led to it.
	ArgIdx int
}

// Scanner walks commands and scripts.
type Scanner struct {
	// Resolve maps a path as the container sees it to a readable file of the
	// project, or "" (then the script is not read).
	Resolve func(p string) string
	// Read returns a file's content, or nil.
	Read func(path string) []byte
	// Match picks the commands to report.
	Match Matcher

	hits []Hit
	// active guards against scripts and functions that run themselves.
	active map[string]bool
}

// frame is where a command is being read.
type frame struct {
	file  string   // script (as resolved), "" for the argv
	line  int      // fixed line (an `sh -c` body inside a script), 0: the node's own
	depth int      // scripts deep
	args  []string // positional parameters, nil when unknown
	// fromArgv is set for a script run straight from the argv: its `"$@"`
	// is the rest of the compose command, which is read on its own.
	fromArgv bool
	funcs    map[string]*syntax.FuncDecl
	argIdx   int // index of the argv word that led here (argv only)
	top      bool
}

// ScanArgv reads an argv (a compose entrypoint followed by its command)
// and returns what the matcher found in it and in what it runs.
func (s *Scanner) ScanArgv(argv []string) []Hit {
	s.hits = nil
	s.active = map[string]bool{}
	s.call(argv, nil, frame{top: true})
	return s.hits
}

// nonExecuting are commands whose arguments are text, not a command to run.
var nonExecuting = map[string]bool{
	"echo": true, "printf": true, "cat": true, "test": true, "[": true, "true": true, "false": true, ":": true,
	"export": true, "local": true, "readonly": true, "declare": true, "typeset": true, "read": true, "set": true,
	"unset": true, "grep": true, "sed": true, "awk": true, "cp": true, "mv": true, "rm": true, "ln": true,
	"chmod": true, "chown": true, "mkdir": true, "touch": true, "ls": true, "find": true, "tee": true, "logger": true,
	"trap": true, "alias": true, "cd": true, "curl": true, "wget": true, "sleep": true, "exit": true, "return": true,
}

var shells = map[string]bool{"sh": true, "bash": true, "dash": true, "ash": true, "zsh": true, "ksh": true, "mksh": true}

// commandStart skips what only wraps a command (exec, env, tini, gosu,
// wait-for-it … --) and returns the index of the program that runs, or
// len(words) when none does.
func commandStart(words []string) int {
	i := 0
	for i < len(words) {
		w := words[i]
		if IsAssignment(w) {
			i++
			continue
		}
		switch base := path.Base(w); base {
		case "exec", "nohup", "time", "command", "builtin", "setsid":
			i++
		case "env":
			i++
			for i < len(words) && (strings.HasPrefix(words[i], "-") || IsAssignment(words[i])) {
				if words[i] == "-u" || words[i] == "-C" || words[i] == "--unset" || words[i] == "--chdir" {
					i++
				}
				i++
			}
		case "tini", "tini-static", "dumb-init", "catatonit":
			i++
			for i < len(words) && strings.HasPrefix(words[i], "-") {
				done := words[i] == "--"
				i++
				if done {
					break
				}
			}
		case "gosu", "su-exec", "chroot":
			i += 2
		case "sudo", "doas":
			i++
			for i < len(words) && strings.HasPrefix(words[i], "-") {
				if words[i] == "-u" || words[i] == "-g" {
					i++
				}
				i++
			}
		case "nice", "ionice", "timeout", "stdbuf", "chpst":
			i++
			for i < len(words) && (strings.HasPrefix(words[i], "-") || (base == "timeout" && isDuration(words[i]))) {
				if words[i] == "-n" || words[i] == "-c" || words[i] == "-u" || words[i] == "-s" || words[i] == "-k" {
					i++
				}
				i++
			}
		case "wait-for-it", "wait-for-it.sh", "wait-for", "wait-for.sh", "wait-for-postgres.sh", "dockerize", "wait4x":
			// waits, then runs what follows `--` (if anything)
			j := i + 1
			for j < len(words) && words[j] != "--" {
				j++
			}
			if j >= len(words) {
				return len(words)
			}
			i = j + 1
		default:
			return i
		}
	}
	return i
}

// IsAssignment tells whether a shell word is a NAME=value assignment.
func IsAssignment(w string) bool {
	k, _, ok := strings.Cut(w, "=")
	return ok && k != "" && syntax.ValidName(k)
}

func isDuration(w string) bool {
	w = strings.TrimRight(w, "smhd")
	if w == "" {
		return false
	}
	for _, r := range w {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

// call reads one simple command. words are its arguments as strings; raw
// are the parsed words (nil for the compose argv) for positions.
func (s *Scanner) call(words []string, node syntax.Node, ctx frame) {
	i := commandStart(words)
	if i >= len(words) {
		return
	}
	at := func(j int) frame {
		c := ctx
		if ctx.top {
			c.argIdx = j
		}
		return c
	}
	prog := path.Base(words[i])
	switch {
	case nonExecuting[prog]:
		return
	case shells[prog] || (prog == "busybox" && i+1 < len(words) && shells[words[i+1]]):
		if prog == "busybox" {
			i++
		}
		s.shell(words, i, node, at)
	case prog == "su" || prog == "runuser":
		for j := i + 1; j+1 < len(words); j++ {
			if words[j] == "-c" || words[j] == "--command" {
				s.body(words[j+1], nil, node, at(j+1))
				return
			}
		}
	case (prog == "source" || prog == ".") && i+1 < len(words):
		s.script(words[i+1], words[i+2:], at(i+1))
	case ctx.funcs[words[i]] != nil:
		fn := ctx.funcs[words[i]]
		key := ctx.file + "\x00func " + words[i]
		if s.active[key] {
			return
		}
		s.active[key] = true
		c := ctx
		c.args = words[i+1:]
		c.fromArgv = false
		s.stmt(fn.Body, c)
		delete(s.active, key)
	default:
		if start, end, ok := s.Match(words[i:]); ok {
			h := Hit{Text: strings.Join(words[i+start:], " "), File: ctx.file, Line: ctx.line, ArgIdx: ctx.argIdx}
			if ctx.top {
				h.ArgIdx = i + end - 1
			}
			if h.Line == 0 && node != nil {
				h.Line = int(node.Pos().Line())
			}
			s.hits = append(s.hits, h)
			return
		}
		if looksLikeScript(words[i]) {
			s.script(words[i], words[i+1:], at(i))
		}
	}
}

// shell reads `sh [options] script args…` or `sh -c body $0 args…`, the
// shell program at words[i].
func (s *Scanner) shell(words []string, i int, node syntax.Node, at func(int) frame) {
	j := i + 1
	bodyNext := false
	for j < len(words) {
		w := words[j]
		if w == "--" {
			j++
			break
		}
		if w == "-o" || w == "+o" || w == "-O" || w == "+O" {
			j += 2
			continue
		}
		if len(w) > 1 && (w[0] == '-' || w[0] == '+') && !strings.HasPrefix(w, "--") {
			if strings.Contains(w[1:], "c") {
				bodyNext = true
			}
			j++
			continue
		}
		if strings.HasPrefix(w, "--") {
			j++
			continue
		}
		break
	}
	if j >= len(words) {
		return
	}
	if bodyNext {
		var args []string
		if j+2 <= len(words) {
			args = words[j+2:] // $0 is words[j+1]
		}
		s.body(words[j], args, node, at(j))
		return
	}
	s.script(words[j], words[j+1:], at(j))
}

// looksLikeScript tells a program that may be a shell script of the project.
func looksLikeScript(w string) bool {
	if strings.Contains(w, "$") || strings.Contains(w, "://") {
		return false
	}
	if strings.HasSuffix(w, ".sh") || strings.HasSuffix(w, ".bash") {
		return true
	}
	return strings.HasPrefix(w, "./") || (strings.HasPrefix(w, "/") && !systemPath(w))
}

// systemPath tells programs of the image's system (/bin/sh, /usr/local/bin/gunicorn).
func systemPath(w string) bool {
	for _, dir := range []string{"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/sbin/", "/opt/venv/bin/", "/venv/bin/"} {
		if strings.HasPrefix(w, dir) {
			return true
		}
	}
	// /usr/local/bin holds both installed programs and copied entrypoints:
	// only the latter end in .sh, handled above.
	return strings.HasPrefix(w, "/usr/local/bin/")
}

// body reads an `sh -c` body.
func (s *Scanner) body(src string, args []string, node syntax.Node, ctx frame) {
	f := Parse(src)
	if f == nil {
		return
	}
	c := ctx
	c.args = args
	c.fromArgv = false
	c.top = false
	if ctx.file != "" && node != nil && c.line == 0 {
		// positions inside the body are not lines of the script
		c.line = int(node.Pos().Line())
	}
	if c.funcs == nil || ctx.top {
		c.funcs = map[string]*syntax.FuncDecl{}
	}
	collectFuncs(f, c.funcs)
	s.stmts(f.Stmts, c)
}

// script reads a script of the project that a command runs.
func (s *Scanner) script(p string, args []string, ctx frame) {
	if ctx.depth >= MaxScriptDepth || s.Resolve == nil {
		return
	}
	abs := s.Resolve(p)
	if abs == "" || s.active[abs] {
		return
	}
	content := s.Read(abs)
	if content == nil || !IsScript(abs, content) {
		return
	}
	f := Parse(string(content))
	if f == nil {
		return
	}
	s.active[abs] = true
	defer delete(s.active, abs)
	c := frame{file: abs, depth: ctx.depth + 1, args: args, fromArgv: ctx.top, funcs: map[string]*syntax.FuncDecl{}, argIdx: ctx.argIdx}
	collectFuncs(f, c.funcs)
	s.stmts(f.Stmts, c)
}

// IsScript tells a shell script from a Python or Node script or a
// binary: by its #! line, else by its extension.
func IsScript(name string, content []byte) bool {
	if bytes.IndexByte(content, 0) >= 0 {
		return false
	}
	if bytes.HasPrefix(content, []byte("#!")) {
		line, _, _ := bytes.Cut(content, []byte("\n"))
		fields := strings.Fields(strings.TrimPrefix(string(line), "#!"))
		if len(fields) == 0 {
			return false
		}
		interp := path.Base(fields[0])
		if interp == "env" {
			for _, f := range fields[1:] {
				if !strings.HasPrefix(f, "-") {
					interp = path.Base(f)
					break
				}
			}
		}
		return shells[interp] || interp == "busybox"
	}
	return strings.HasSuffix(name, ".sh") || strings.HasSuffix(name, ".bash")
}

// Parse parses a script; a script bash cannot parse as a whole is read
// line by line, keeping the lines that parse (with their own line numbers).
func Parse(src string) *syntax.File {
	if f, err := syntax.NewParser().Parse(strings.NewReader(src), ""); err == nil {
		return f
	}
	lines := strings.Split(src, "\n")
	if len(lines) > 5000 {
		return nil
	}
	out := &syntax.File{}
	for n, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f, err := syntax.NewParser().Parse(strings.NewReader(strings.Repeat("\n", n)+line), "")
		if err != nil {
			continue
		}
		out.Stmts = append(out.Stmts, f.Stmts...)
	}
	return out
}

func collectFuncs(f *syntax.File, funcs map[string]*syntax.FuncDecl) {
	syntax.Walk(f, func(n syntax.Node) bool {
		if fd, ok := n.(*syntax.FuncDecl); ok && fd.Name != nil {
			funcs[fd.Name.Value] = fd
		}
		return true
	})
}

func (s *Scanner) stmts(list []*syntax.Stmt, ctx frame) {
	for _, st := range list {
		s.stmt(st, ctx)
	}
}

func (s *Scanner) stmt(st *syntax.Stmt, ctx frame) {
	if st == nil || st.Cmd == nil {
		return
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		for _, a := range c.Assigns {
			s.substs(a, ctx)
		}
		if len(c.Args) == 0 {
			return
		}
		for _, w := range c.Args {
			s.substs(w, ctx)
		}
		if ctx.fromArgv && isAllArgs(c.Args[0]) {
			// `exec "$@"` runs the compose command, which is read on its own
			return
		}
		s.call(s.words(c.Args, ctx), c, ctx)
	case *syntax.BinaryCmd:
		s.stmt(c.X, ctx)
		s.stmt(c.Y, ctx)
	case *syntax.IfClause:
		for ic := c; ic != nil; ic = ic.Else {
			s.stmts(ic.Cond, ctx)
			s.stmts(ic.Then, ctx)
		}
	case *syntax.CaseClause:
		s.caseClause(c, ctx)
	case *syntax.Block:
		s.stmts(c.Stmts, ctx)
	case *syntax.Subshell:
		s.stmts(c.Stmts, ctx)
	case *syntax.WhileClause:
		s.stmts(c.Cond, ctx)
		s.stmts(c.Do, ctx)
	case *syntax.ForClause:
		s.stmts(c.Do, ctx)
	case *syntax.TimeClause:
		s.stmt(c.Stmt, ctx)
	case *syntax.CoprocClause:
		s.stmt(c.Stmt, ctx)
	case *syntax.DeclClause:
		for _, a := range c.Args {
			s.substs(a, ctx)
		}
	}
}

// substs reads the command substitutions inside a node: `out=$(cmd)`.
func (s *Scanner) substs(n syntax.Node, ctx frame) {
	syntax.Walk(n, func(n syntax.Node) bool {
		if cs, ok := n.(*syntax.CmdSubst); ok {
			s.stmts(cs.Stmts, ctx)
			return false
		}
		return true
	})
}

// caseClause follows the branch that `case "$1"` takes when the script's
// arguments are known (`entrypoint.sh web`), else every branch.
func (s *Scanner) caseClause(c *syntax.CaseClause, ctx frame) {
	if n, ok := positional(c.Word); ok && ctx.args != nil {
		val := ""
		if n-1 < len(ctx.args) {
			val = ctx.args[n-1]
		}
		for _, item := range c.Items {
			for _, pat := range item.Patterns {
				if m, err := path.Match(wordString(pat, nil), val); err == nil && m {
					s.stmts(item.Stmts, ctx)
					return
				}
			}
		}
		return
	}
	for _, item := range c.Items {
		s.stmts(item.Stmts, ctx)
	}
}

// positional tells whether w is just `$N` / `"$N"` / `${N}`.
func positional(w *syntax.Word) (int, bool) {
	pe := singleParam(w)
	if pe == nil || pe.Param == nil || pe.Exp != nil || pe.Slice != nil || pe.Repl != nil || pe.Length || pe.Excl {
		return 0, false
	}
	v := pe.Param.Value
	if len(v) == 1 && v[0] >= '1' && v[0] <= '9' {
		return int(v[0] - '0'), true
	}
	return 0, false
}

// isAllArgs tells whether w is `"$@"`, `$@`, `"$*"` or `$*`.
func isAllArgs(w *syntax.Word) bool {
	pe := singleParam(w)
	return pe != nil && pe.Param != nil && (pe.Param.Value == "@" || pe.Param.Value == "*") && pe.Exp == nil
}

func singleParam(w *syntax.Word) *syntax.ParamExp {
	if w == nil || len(w.Parts) != 1 {
		return nil
	}
	switch p := w.Parts[0].(type) {
	case *syntax.ParamExp:
		return p
	case *syntax.DblQuoted:
		if len(p.Parts) == 1 {
			if pe, ok := p.Parts[0].(*syntax.ParamExp); ok {
				return pe
			}
		}
	}
	return nil
}

// words turns parsed words into strings: quotes removed, `"$@"` spliced
// with the known arguments, `$N` replaced when known, other expansions kept
// as written ("$APP_DIR/manage.py").
func (s *Scanner) words(ws []*syntax.Word, ctx frame) []string {
	var out []string
	for _, w := range ws {
		if isAllArgs(w) && ctx.args != nil {
			out = append(out, ctx.args...)
			continue
		}
		out = append(out, wordString(w, ctx.args))
	}
	return out
}

// wordString is the text of a word, with positional parameters replaced
// when args is known.
func wordString(w *syntax.Word, args []string) string {
	var b strings.Builder
	var parts func(ps []syntax.WordPart)
	parts = func(ps []syntax.WordPart) {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				b.WriteString(p.Value)
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				parts(p.Parts)
			case *syntax.ParamExp:
				if p.Param != nil {
					v := p.Param.Value
					if len(v) == 1 && v[0] >= '1' && v[0] <= '9' && args != nil && p.Exp == nil {
						if n := int(v[0] - '1'); n < len(args) {
							b.WriteString(args[n])
						}
						continue
					}
					b.WriteString("$" + v)
				}
			default:
				b.WriteString("$(…)")
			}
		}
	}
	parts(w.Parts)
	return b.String()
}
