package rules

import (
	"bytes"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Shell reading for migrations-on-scaled-service: what a command line, an
// `sh -c` body or a script of the project runs, read with a real shell
// parser (mvdan.cc/sh), following `&&`, `;`, `if`, `case "$1"`, functions,
// `exec`, `source` and the scripts it starts.

// migMaxScriptDepth bounds how many scripts deep a command is followed.
const migMaxScriptDepth = 3

// migMigrationHit is one command that runs database migrations.
type migMigrationHit struct {
	text string // the command, as written ("python manage.py migrate")
	file string // the script it is in (absolute); "" when in the compose file itself
	line int    // its line in file
	// argIdx is the index, in the compose argv, of the word that led to it.
	argIdx int
}

// migShellScanner walks commands and scripts.
type migShellScanner struct {
	// resolve maps a path as the container sees it to a readable file of the
	// project (absolute), or "".
	resolve func(p string) string
	// read returns a file's content, or nil.
	read func(abs string) []byte
	hits []migMigrationHit
	// active guards against scripts and functions that run themselves.
	active map[string]bool
}

// migShellCtx is where a command is being read.
type migShellCtx struct {
	file  string   // script (absolute), "" for the compose argv
	line  int      // fixed line (an `sh -c` body inside a script), 0: the node's own
	depth int      // scripts deep
	args  []string // positional parameters, nil when unknown
	// fromArgv is set for a script run straight from the compose argv: its
	// `"$@"` is the compose command, which is read on its own.
	fromArgv bool
	funcs    map[string]*syntax.FuncDecl
	argIdx   int // index of the argv word that led here (compose argv only)
	top      bool
}

// scanArgv reads a compose entrypoint+command argv.
func (s *migShellScanner) scanArgv(argv []string) {
	s.call(argv, nil, migShellCtx{top: true})
}

// migNonExecuting are commands whose arguments are text, not a command to run.
var migNonExecuting = map[string]bool{
	"echo": true, "printf": true, "cat": true, "test": true, "[": true, "true": true, "false": true, ":": true,
	"export": true, "local": true, "readonly": true, "declare": true, "typeset": true, "read": true, "set": true,
	"unset": true, "grep": true, "sed": true, "awk": true, "cp": true, "mv": true, "rm": true, "ln": true,
	"chmod": true, "chown": true, "mkdir": true, "touch": true, "ls": true, "find": true, "tee": true, "logger": true,
	"trap": true, "alias": true, "cd": true, "curl": true, "wget": true, "sleep": true, "exit": true, "return": true,
}

var migShells = map[string]bool{"sh": true, "bash": true, "dash": true, "ash": true, "zsh": true, "ksh": true, "mksh": true}

// migCommandStart skips what only wraps a command (exec, env, tini, gosu,
// wait-for-it … --) and returns the index of the program that runs, or
// len(words) when none does.
func migCommandStart(words []string) int {
	i := 0
	for i < len(words) {
		w := words[i]
		if migIsAssignment(w) {
			i++
			continue
		}
		switch base := path.Base(w); base {
		case "exec", "nohup", "time", "command", "builtin", "setsid":
			i++
		case "env":
			i++
			for i < len(words) && (strings.HasPrefix(words[i], "-") || migIsAssignment(words[i])) {
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
			for i < len(words) && (strings.HasPrefix(words[i], "-") || (base == "timeout" && migIsDuration(words[i]))) {
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

func migIsAssignment(w string) bool {
	k, _, ok := strings.Cut(w, "=")
	return ok && k != "" && syntax.ValidName(k)
}

func migIsDuration(w string) bool {
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
func (s *migShellScanner) call(words []string, node syntax.Node, ctx migShellCtx) {
	i := migCommandStart(words)
	if i >= len(words) {
		return
	}
	at := func(j int) migShellCtx {
		c := ctx
		if ctx.top {
			c.argIdx = j
		}
		return c
	}
	prog := path.Base(words[i])
	switch {
	case migNonExecuting[prog]:
		return
	case migShells[prog] || (prog == "busybox" && i+1 < len(words) && migShells[words[i+1]]):
		if prog == "busybox" {
			i++
		}
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
		if start, end, ok := migMatchMigration(words[i:]); ok {
			h := migMigrationHit{text: strings.Join(words[i+start:], " "), file: ctx.file, line: ctx.line, argIdx: ctx.argIdx}
			if ctx.top {
				h.argIdx = i + end - 1
			}
			if h.line == 0 && node != nil {
				h.line = int(node.Pos().Line())
			}
			s.hits = append(s.hits, h)
			return
		}
		if migLooksLikeScript(words[i]) {
			s.script(words[i], words[i+1:], at(i))
		}
	}
}

// migLooksLikeScript tells a program that may be a shell script of the project.
func migLooksLikeScript(w string) bool {
	if strings.Contains(w, "$") || strings.Contains(w, "://") {
		return false
	}
	if strings.HasSuffix(w, ".sh") || strings.HasSuffix(w, ".bash") {
		return true
	}
	return strings.HasPrefix(w, "./") || (strings.HasPrefix(w, "/") && !migSystemPath(w))
}

// migSystemPath tells programs of the image's system (/bin/sh, /usr/local/bin/gunicorn).
func migSystemPath(w string) bool {
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
func (s *migShellScanner) body(src string, args []string, node syntax.Node, ctx migShellCtx) {
	f := migParseShell(src)
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
	migCollectFuncs(f, c.funcs)
	s.stmts(f.Stmts, c)
}

// script reads a script of the project that a command runs.
func (s *migShellScanner) script(p string, args []string, ctx migShellCtx) {
	if ctx.depth >= migMaxScriptDepth || s.resolve == nil {
		return
	}
	abs := s.resolve(p)
	if abs == "" || s.active[abs] {
		return
	}
	content := s.read(abs)
	if content == nil || !migIsShellScript(abs, content) {
		return
	}
	f := migParseShell(string(content))
	if f == nil {
		return
	}
	s.active[abs] = true
	defer delete(s.active, abs)
	c := migShellCtx{file: abs, depth: ctx.depth + 1, args: args, fromArgv: ctx.top, funcs: map[string]*syntax.FuncDecl{}, argIdx: ctx.argIdx}
	migCollectFuncs(f, c.funcs)
	s.stmts(f.Stmts, c)
}

// migIsShellScript tells a shell script from a Python or Node script or a
// binary: by its #! line, else by its extension.
func migIsShellScript(name string, content []byte) bool {
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
		return migShells[interp] || interp == "busybox"
	}
	return strings.HasSuffix(name, ".sh") || strings.HasSuffix(name, ".bash")
}

// migParseShell parses a script; a script bash cannot parse as a whole is read
// line by line, keeping the lines that parse (with their own line numbers).
func migParseShell(src string) *syntax.File {
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

func migCollectFuncs(f *syntax.File, funcs map[string]*syntax.FuncDecl) {
	syntax.Walk(f, func(n syntax.Node) bool {
		if fd, ok := n.(*syntax.FuncDecl); ok && fd.Name != nil {
			funcs[fd.Name.Value] = fd
		}
		return true
	})
}

func (s *migShellScanner) stmts(list []*syntax.Stmt, ctx migShellCtx) {
	for _, st := range list {
		s.stmt(st, ctx)
	}
}

func (s *migShellScanner) stmt(st *syntax.Stmt, ctx migShellCtx) {
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
		if ctx.fromArgv && migIsAllArgs(c.Args[0]) {
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
func (s *migShellScanner) substs(n syntax.Node, ctx migShellCtx) {
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
func (s *migShellScanner) caseClause(c *syntax.CaseClause, ctx migShellCtx) {
	if n, ok := migPositional(c.Word); ok && ctx.args != nil {
		val := ""
		if n-1 < len(ctx.args) {
			val = ctx.args[n-1]
		}
		for _, item := range c.Items {
			for _, pat := range item.Patterns {
				if m, err := path.Match(migWordString(pat, nil), val); err == nil && m {
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

// migPositional tells whether w is just `$N` / `"$N"` / `${N}`.
func migPositional(w *syntax.Word) (int, bool) {
	pe := migSingleParam(w)
	if pe == nil || pe.Param == nil || pe.Exp != nil || pe.Slice != nil || pe.Repl != nil || pe.Length || pe.Excl {
		return 0, false
	}
	v := pe.Param.Value
	if len(v) == 1 && v[0] >= '1' && v[0] <= '9' {
		return int(v[0] - '0'), true
	}
	return 0, false
}

// migIsAllArgs tells whether w is `"$@"`, `$@`, `"$*"` or `$*`.
func migIsAllArgs(w *syntax.Word) bool {
	pe := migSingleParam(w)
	return pe != nil && pe.Param != nil && (pe.Param.Value == "@" || pe.Param.Value == "*") && pe.Exp == nil
}

func migSingleParam(w *syntax.Word) *syntax.ParamExp {
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
func (s *migShellScanner) words(ws []*syntax.Word, ctx migShellCtx) []string {
	var out []string
	for _, w := range ws {
		if migIsAllArgs(w) && ctx.args != nil {
			out = append(out, ctx.args...)
			continue
		}
		out = append(out, migWordString(w, ctx.args))
	}
	return out
}

// migWordString is the text of a word, with positional parameters replaced
// when args is known.
func migWordString(w *syntax.Word, args []string) string {
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

// migMatchMigration finds a command that runs database migrations in words
// (the program first) and returns the span of words that says so.
func migMatchMigration(words []string) (start, end int, ok bool) {
	// subcommand returns the first word after i that is not an option.
	next := func(i int) int {
		for j := i + 1; j < len(words); j++ {
			if !strings.HasPrefix(words[j], "-") {
				return j
			}
		}
		return -1
	}
	has := func(from int, want ...string) int {
		for j := from; j < len(words); j++ {
			for _, w := range want {
				if words[j] == w {
					return j
				}
			}
		}
		return -1
	}
	hasFlag := func(from int, flags ...string) bool {
		for j := from; j < len(words); j++ {
			for _, f := range flags {
				if words[j] == f || strings.HasPrefix(words[j], f+"=") {
					return true
				}
			}
		}
		return false
	}
	for i, w := range words {
		base := strings.ToLower(path.Base(w))
		switch base {
		case "manage.py", "django-admin", "django-admin.py":
			if j := next(i); j > 0 && (words[j] == "migrate" || words[j] == "migrate_schemas") && !hasFlag(j, "--check", "--plan", "--list", "-l") {
				return 0, j + 1, true
			}
		case "django":
			if i > 0 && words[i-1] == "-m" {
				if j := next(i); j > 0 && words[j] == "migrate" && !hasFlag(j, "--check", "--plan") {
					return 0, j + 1, true
				}
			}
		case "alembic":
			if j := has(i+1, "upgrade"); j > 0 {
				return 0, min(j+2, len(words)), true
			}
		case "flask":
			if j := has(i+1, "db"); j > 0 && j+1 < len(words) && words[j+1] == "upgrade" {
				return 0, j + 2, true
			}
		case "rails", "rake":
			for j := i + 1; j < len(words); j++ {
				if strings.HasPrefix(words[j], "db:migrate") && words[j] != "db:migrate:status" || words[j] == "db:prepare" || words[j] == "db:setup" {
					return 0, j + 1, true
				}
			}
		case "prisma":
			if j := next(i); j > 0 && j+1 < len(words) {
				if (words[j] == "migrate" && (words[j+1] == "deploy" || words[j+1] == "dev")) || (words[j] == "db" && words[j+1] == "push") {
					return 0, j + 2, true
				}
			}
		case "artisan":
			if j := next(i); j > 0 && (words[j] == "migrate" || strings.HasPrefix(words[j], "migrate:") && words[j] != "migrate:status" && words[j] != "migrate:install") {
				return 0, j + 1, true
			}
		case "sequelize", "sequelize-cli":
			if j := has(i+1, "db:migrate"); j > 0 {
				return 0, j + 1, true
			}
		case "knex":
			if j := has(i+1, "migrate:latest", "migrate:up"); j > 0 {
				return 0, j + 1, true
			}
		case "goose":
			if j := has(i+1, "up", "up-by-one", "up-to"); j > 0 {
				return 0, j + 1, true
			}
		case "migrate":
			// golang-migrate: migrate -path … -database … up
			if i == 0 {
				if j := has(i+1, "up"); j > 0 {
					return 0, j + 1, true
				}
			}
		case "dbmate":
			if j := has(i+1, "up", "migrate"); j > 0 {
				return 0, j + 1, true
			}
		case "flyway":
			if j := has(i+1, "migrate"); j > 0 {
				return 0, j + 1, true
			}
		case "liquibase":
			if j := has(i+1, "update"); j > 0 {
				return 0, j + 1, true
			}
		case "diesel":
			if j := has(i+1, "migration"); j > 0 && j+1 < len(words) && words[j+1] == "run" {
				return 0, j + 2, true
			}
		case "sqlx":
			if j := has(i+1, "migrate"); j > 0 && j+1 < len(words) && words[j+1] == "run" {
				return 0, j + 2, true
			}
		case "typeorm", "typeorm-ts-node-commonjs", "typeorm-ts-node-esm":
			if j := has(i+1, "migration:run"); j > 0 {
				return 0, j + 1, true
			}
		case "console":
			if j := has(i+1, "doctrine:migrations:migrate"); j > 0 {
				return 0, j + 1, true
			}
		case "mix":
			if j := has(i+1, "ecto.migrate"); j > 0 {
				return 0, j + 1, true
			}
		case "atlas":
			if j := has(i+1, "migrate"); j > 0 && j+1 < len(words) && words[j+1] == "apply" {
				return 0, j + 2, true
			}
		case "kong":
			if j := next(i); j > 0 && words[j] == "migrations" && j+1 < len(words) && (words[j+1] == "up" || words[j+1] == "bootstrap" || words[j+1] == "finish") {
				return 0, j + 2, true
			}
		}
	}
	return 0, 0, false
}
