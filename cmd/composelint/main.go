// Command composelint lints Docker Compose projects: the base file and its
// overrides, merged per environment as docker compose would run them.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/composelint/composelint/pkg/config"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/rules"
	"github.com/composelint/composelint/pkg/source"
)

const (
	exitOK       = 0
	exitFindings = 1
	exitFailure  = 2
)

func main() {
	tuneGC()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `Usage:
  composelint [flags] [PATH ...]   lint the Compose project of each PATH (default: .)
  composelint rules                list the rules
  composelint explain RULE         print a rule's documentation
  composelint rules --format json  the rules as JSON (ID, severity, fix, summary, documentation URL)
  composelint lsp                  run the language server on stdin/stdout (editors)
  composelint completion SHELL     print a completion script for bash, zsh or fish

A PATH is a project directory, or a file of a project: the whole project is
loaded, and only that file's findings are reported. "-" reads the content of
the file named by --stdin-filename from standard input (for editors).

Flags:
`

// flags are the command line's flags, parsed.
type flags struct {
	set       *pflag.FlagSet
	files     []string
	envName   string
	vars      []string
	osEnv     bool
	doFix     bool
	unsafe    bool
	diff      bool
	stdinName string
	format    string
	outFile   string
	quiet     bool
	noColor   bool
	strict    bool
	recursive bool
	failLevel string
	version   bool
	help      bool
}

func newFlags() *flags {
	f := &flags{set: pflag.NewFlagSet("composelint", pflag.ContinueOnError)}
	fs := f.set
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringArrayVarP(&f.files, "file", "f", nil, "compose file of one environment, in docker compose order (repeatable); no discovery")
	fs.StringVar(&f.envName, "environment", "", "name of the -f environment (default: production if a file name contains \"prod\", else development)")
	fs.StringArrayVar(&f.vars, "env", nil, "interpolation value KEY=VALUE (repeatable); .env beside the base file is read too")
	fs.BoolVar(&f.osEnv, "os-env", false, "also interpolate from the process environment")
	fs.BoolVar(&f.doFix, "fix", false, "apply safe fixes, then report what remains")
	fs.BoolVar(&f.unsafe, "unsafe-fixes", false, "with --fix or --diff, also apply fixes that change what runs")
	fs.BoolVar(&f.diff, "diff", false, "print a unified diff of what --fix would change; write nothing")
	fs.StringVar(&f.stdinName, "stdin-filename", "", "with PATH \"-\": the file whose content stdin holds")
	fs.StringVar(&f.format, "format", "text", "output `FORMAT`: text, json, sarif (SARIF 2.1.0), github (Actions annotations), checkstyle, junit, gitlab (Code Quality) or rdjson (reviewdog)")
	fs.StringVarP(&f.outFile, "output-file", "o", "", "write the report (or the --diff) to `PATH` instead of standard output; the exit code is the same")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print findings only, without source lines or summary")
	fs.BoolVar(&f.noColor, "no-color", false, "never colour the output (also NO_COLOR=1)")
	fs.BoolVarP(&f.recursive, "recursive", "r", false, "lint every compose project below each directory PATH (skips .git, node_modules, vendor and what .gitignore ignores)")
	fs.BoolVar(&f.strict, "strict", false, "also run the strict rules (opinions, off by default; each can be enabled alone in .composelint.yaml)")
	fs.StringVar(&f.failLevel, "fail-level", "warning", "lowest severity that makes the exit code 1: error, warning or info")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	fs.BoolVarP(&f.help, "help", "h", false, "show this help")
	// Language clients add --stdio when they start a server; it is the only transport.
	fs.Bool("stdio", false, "")
	fs.MarkHidden("stdio")
	return f
}

// run is main without os.Exit, for tests. It never lets a panic reach the user.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(stderr, "composelint: internal error: %v (please report it)\n", v)
			code = exitFailure
		}
	}()
	eng := &lint.Engine{Rules: rules.All()}
	f := newFlags()
	if err := f.set.Parse(args); err != nil {
		fmt.Fprintf(stderr, "composelint: %v (see composelint --help)\n", err)
		return exitFailure
	}
	eng.Strict = f.strict
	switch rest := f.set.Args(); {
	case f.help:
		fmt.Fprint(stdout, usage+f.set.FlagUsages())
		return exitOK
	case f.version:
		fmt.Fprintf(stdout, "composelint %s\n", toolVersion())
		return exitOK
	case len(rest) > 0 && isCommand(rest[0]):
		return command(f, eng, rest, stdin, stdout, stderr)
	default:
		return lintPaths(f, eng, rest, stdin, stdout, stderr)
	}
}

// isCommand says whether the first argument names a command rather than a path.
func isCommand(arg string) bool {
	switch arg {
	case "rules", "explain", "lsp", "completion":
		return true
	}
	return false
}

// command runs `rules`, `explain`, `lsp` or `completion`.
func command(f *flags, eng *lint.Engine, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch args[0] {
	case "rules":
		return listRules(stdout, stderr, eng, f.format)
	case "completion":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "composelint: usage: composelint completion bash|zsh|fish")
			return exitFailure
		}
		return completion(stdout, stderr, f.set, eng, args[1])
	case "explain":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "composelint: usage: composelint explain RULE")
			return exitFailure
		}
		return explain(stdout, stderr, eng, args[1])
	default: // lsp: a language server on stdin/stdout; its log goes to stderr.
		kv, err := envFlags(f.vars)
		if err != nil {
			return fail(stderr, err)
		}
		return serveLSP(stdin, stdout, stderr, eng, kv, f.osEnv)
	}
}

// envFlags parses --env KEY=VALUE values.
func envFlags(vars []string) (map[string]string, error) {
	kv := map[string]string{}
	for _, v := range vars {
		k, val, ok := strings.Cut(v, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--env %q: want KEY=VALUE", v)
		}
		kv[k] = val
	}
	return kv, nil
}

// fail prints one line for an error that stops composelint doing its job.
func fail(stderr io.Writer, err error) int {
	var ue *project.UsageError
	var ce *config.Error
	var np *project.NoProjectError
	switch {
	case errors.As(err, &ue), errors.As(err, &ce):
		fmt.Fprintf(stderr, "composelint: %v\n", err)
	case errors.As(err, &np):
		msg := err.Error()
		if hint := projectsBelowHint(np.Path); hint != "" {
			msg += "; " + hint // one line, as every usage error
		}
		fmt.Fprintf(stderr, "composelint: %s\n", msg)
	default:
		fmt.Fprintf(stderr, "composelint: %v\n", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	return exitFailure
}

// hintWalkLimit bounds the directories searched for projectsBelowHint.
const hintWalkLimit = 20000

// projectsBelowHint names the compose projects below a directory that has
// none of its own, and how to lint them: a repository whose compose files
// live deeper (docs/install/docker/…, a cookiecutter's project directory)
// is a common first run. "" when there are none, or when the directory is
// too big to search on the way to an error (composelint /).
func projectsBelowHint(dir string) string {
	dirs, _, err := projectDirsWithin(dir, hintWalkLimit)
	if err != nil || len(dirs) == 0 {
		return ""
	}
	const shown = 5
	names := make([]string, 0, shown)
	for _, d := range dirs[:min(shown, len(dirs))] {
		names = append(names, filepath.ToSlash(source.Rel(dir, d)))
	}
	more := ""
	if len(dirs) > shown {
		more = fmt.Sprintf(" (and %d more)", len(dirs)-shown)
	}
	if len(dirs) == 1 {
		return fmt.Sprintf("a compose project below it: `composelint %s` lints it", filepath.Join(dir, names[0]))
	}
	return fmt.Sprintf("%d compose projects below it: %s%s; `composelint -r %s` lints them all, or name one",
		len(dirs), strings.Join(names, ", "), more, dir)
}
