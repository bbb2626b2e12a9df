// Command composelint lints Docker Compose projects: the base file and its
// overrides, merged per environment as docker compose would run them.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/composelint/composelint/pkg/config"
	"github.com/composelint/composelint/pkg/fix"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/lsp"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/report"
	"github.com/composelint/composelint/pkg/rules"
	"github.com/composelint/composelint/pkg/source"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const (
	exitOK       = 0
	exitFindings = 1
	exitFailure  = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `Usage:
  composelint [flags] [PATH ...]   lint the Compose project of each PATH (default: .)
  composelint rules                list the rules
  composelint explain RULE         print a rule's documentation
  composelint lsp                  run the language server on stdin/stdout (editors)

A PATH is a project directory, or a file of a project: the whole project is
loaded, and only that file's findings are reported. "-" reads the content of
the file named by --stdin-filename from standard input (for editors).

Flags:
`

// run is main without os.Exit, for tests. It never lets a panic reach the user.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(stderr, "composelint: internal error: %v (please report it)\n", v)
			code = exitFailure
		}
	}()
	eng := &lint.Engine{Rules: rules.All()}

	fs := pflag.NewFlagSet("composelint", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	var (
		files     = fs.StringArrayP("file", "f", nil, "compose file of one environment, in docker compose order (repeatable); no discovery")
		envName   = fs.String("environment", "", "name of the -f environment (default: production if a file name contains \"prod\", else development)")
		vars      = fs.StringArray("env", nil, "interpolation value KEY=VALUE (repeatable); .env beside the base file is read too")
		osEnv     = fs.Bool("os-env", false, "also interpolate from the process environment")
		doFix     = fs.Bool("fix", false, "apply safe fixes, then report what remains")
		unsafe    = fs.Bool("unsafe-fixes", false, "with --fix or --diff, also apply fixes that change what runs")
		diff      = fs.Bool("diff", false, "print a unified diff of what --fix would change; write nothing")
		stdinName = fs.String("stdin-filename", "", "with PATH \"-\": the file whose content stdin holds")
		format    = fs.String("format", "text", "output `FORMAT`: text, json, sarif (SARIF 2.1.0), github (Actions annotations), checkstyle, junit or gitlab (Code Quality)")
		outFile   = fs.StringP("output-file", "o", "", "write the report (or the --diff) to `PATH` instead of standard output; the exit code is the same")
		quiet     = fs.BoolP("quiet", "q", false, "print findings only, without source lines or summary")
		noColor   = fs.Bool("no-color", false, "never colour the output (also NO_COLOR=1)")
		failLevel = fs.String("fail-level", "warning", "lowest severity that makes the exit code 1: error, warning or info")
		showVer   = fs.Bool("version", false, "print the version and exit")
		help      = fs.BoolP("help", "h", false, "show this help")
		_         = fs.Bool("stdio", false, "")
	)
	// Language clients add --stdio when they start a server; it is the only transport.
	fs.MarkHidden("stdio")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "composelint: %v (see composelint --help)\n", err)
		return exitFailure
	}
	if *help {
		fmt.Fprint(stdout, usage+fs.FlagUsages())
		return exitOK
	}
	if *showVer {
		fmt.Fprintf(stdout, "composelint %s\n", version)
		return exitOK
	}
	rest := fs.Args()
	if len(rest) > 0 {
		switch rest[0] {
		case "rules":
			return listRules(stdout, eng)
		case "explain":
			if len(rest) != 2 {
				fmt.Fprintln(stderr, "composelint: usage: composelint explain RULE")
				return exitFailure
			}
			return explain(stdout, stderr, eng, rest[1])
		case "lsp":
			// A language server on stdin/stdout; its log goes to stderr.
			kv, err := envFlags(*vars)
			if err != nil {
				fmt.Fprintf(stderr, "composelint: %v\n", err)
				return exitFailure
			}
			return lsp.Serve(stdin, stdout, lsp.Options{Engine: eng, Vars: kv, OSEnv: *osEnv, Log: stderr, Version: version})
		}
	}
	writeReport, ok := report.Lookup(*format)
	if !ok {
		fmt.Fprintf(stderr, "composelint: unknown format %q (want %s)\n", *format, strings.Join(report.Formats, ", "))
		return exitFailure
	}
	if fs.Changed("output-file") && *outFile == "" {
		fmt.Fprintln(stderr, "composelint: --output-file needs a path")
		return exitFailure
	}
	threshold, err := lint.ParseSeverity(*failLevel)
	if err != nil {
		fmt.Fprintf(stderr, "composelint: --fail-level: %v\n", err)
		return exitFailure
	}
	if *unsafe && !*doFix && !*diff {
		fmt.Fprintln(stderr, "composelint: --unsafe-fixes needs --fix or --diff")
		return exitFailure
	}
	kv, err := envFlags(*vars)
	if err != nil {
		fmt.Fprintf(stderr, "composelint: %v\n", err)
		return exitFailure
	}
	opts := project.Options{Files: *files, EnvironmentName: *envName, Vars: kv, OSEnv: *osEnv, Rule: eng.Rule}

	// Units are linted, and fixed, independently: each PATH, or the -f files.
	units := [][]string{nil}
	if len(*files) == 0 {
		if len(rest) == 0 {
			rest = []string{"."}
		}
		units = nil
		for _, p := range rest {
			units = append(units, []string{p})
		}
	}
	stdinPath := ""
	if slices.Contains(rest, "-") {
		if *stdinName == "" || len(rest) != 1 {
			fmt.Fprintln(stderr, "composelint: \"-\" reads stdin: give it alone, with --stdin-filename PATH")
			return exitFailure
		}
		data, err := io.ReadAll(io.LimitReader(stdin, source.MaxFileSize+1))
		if err != nil {
			return fail(stderr, err)
		}
		abs, err := filepath.Abs(*stdinName)
		if err != nil {
			return fail(stderr, err)
		}
		stdinPath = abs
		opts.Overlay = map[string][]byte{abs: data}
		units = [][]string{{*stdinName}}
	}

	cwd, _ := os.Getwd()
	var all []lint.Diagnostic
	var envNames []string
	var diffs strings.Builder
	fixed := 0
	for _, unit := range units {
		linter := unitLinter(eng, unit, opts, &envNames)
		if !*doFix && !*diff {
			_, ds, err := linter(nil)
			if err != nil {
				return fail(stderr, err)
			}
			all = append(all, ds...)
			continue
		}
		res, err := fix.Run(linter, fix.Options{Unsafe: *unsafe})
		if err != nil {
			return fail(stderr, err)
		}
		all = append(all, res.Diagnostics...)
		all = append(all, res.Failed...)
		fixed += res.Applied
		switch {
		case *diff:
			d, err := res.Diff(func(p string) string { return report.RelPath(cwd, p) })
			if err != nil {
				return fail(stderr, err)
			}
			diffs.WriteString(d)
		case stdinPath != "":
			// Editors: the fixed buffer on stdout, nothing written.
			content, ok := res.Fixed[stdinPath]
			if !ok {
				content = opts.Overlay[stdinPath]
			}
			if _, err := stdout.Write(content); err != nil {
				return fail(stderr, err)
			}
		default:
			if err := res.Write(); err != nil {
				return fail(stderr, err)
			}
		}
	}
	if *diff {
		if *outFile != "" {
			err = report.WriteFile(*outFile, []byte(diffs.String()))
		} else {
			_, err = fmt.Fprint(stdout, diffs.String())
		}
		if err != nil {
			return fail(stderr, err)
		}
		if diffs.Len() > 0 {
			return exitFindings
		}
		return exitOK
	}
	lint.Sort(all)
	ropts := report.Options{Cwd: cwd, Quiet: *quiet, Environments: envNames, Fixed: fixed,
		Color:       !*noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout) && *outFile == "",
		Rules:       eng.Rules,
		ToolVersion: version}
	out := stdout
	if stdinPath != "" && *doFix {
		out = stderr // stdout holds the fixed content
		ropts.Color = false
	}
	if *outFile != "" {
		var buf bytes.Buffer
		if err := writeReport(&buf, all, ropts); err != nil {
			return fail(stderr, err)
		}
		if err := report.WriteFile(*outFile, buf.Bytes()); err != nil {
			return fail(stderr, err)
		}
	} else if err := writeReport(out, all, ropts); err != nil {
		return fail(stderr, err)
	}
	for _, d := range all {
		if d.Severity >= threshold {
			return exitFindings
		}
	}
	return exitOK
}

// unitLinter returns a linter of one PATH (or of the -f files): resolve the
// project with the overlay in place of the files on disk, load it, run the
// rules, keep what the user asked to see.
func unitLinter(eng *lint.Engine, paths []string, base project.Options, envNames *[]string) fix.Linter {
	// Rounds of --fix re-lint the project: environments whose files a round
	// did not touch are not loaded again.
	base.Cache = &load.Cache{}
	return func(overlay map[string][]byte) (*lint.Project, []lint.Diagnostic, error) {
		opts := base
		if len(overlay) > 0 {
			opts.Overlay = maps.Clone(base.Overlay)
			if opts.Overlay == nil {
				opts.Overlay = map[string][]byte{}
			}
			maps.Copy(opts.Overlay, overlay)
		}
		targets, err := project.Resolve(paths, opts)
		if err != nil {
			return nil, nil, err
		}
		t := targets[0]
		p, err := t.Load()
		if err != nil {
			return nil, nil, err
		}
		for _, env := range p.Environments {
			*envNames = appendNew(*envNames, env.Name)
		}
		var out []lint.Diagnostic
		for _, d := range t.Run(eng, p) {
			if t.Reports(d.File.Path) {
				out = append(out, d)
			}
		}
		return p, out, nil
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

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && report.IsTerminal(f)
}

// fail prints one line for an error that stops composelint doing its job.
func fail(stderr io.Writer, err error) int {
	var ue *project.UsageError
	var ce *config.Error
	switch {
	case errors.As(err, &ue), errors.As(err, &ce):
		fmt.Fprintf(stderr, "composelint: %v\n", err)
	default:
		fmt.Fprintf(stderr, "composelint: %v\n", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	return exitFailure
}

func listRules(w io.Writer, eng *lint.Engine) int {
	width := 0
	for _, r := range eng.Rules {
		width = max(width, len(r.ID))
	}
	fmt.Fprintf(w, "%-*s  %-8s  %-3s  %s\n", width, "RULE", "SEVERITY", "FIX", "SUMMARY")
	for _, r := range eng.Rules {
		fix := ""
		if r.Fixable {
			fix = "yes"
		}
		fmt.Fprintf(w, "%-*s  %-8s  %-3s  %s\n", width, r.ID, r.Severity, fix, r.Summary)
	}
	return exitOK
}

func explain(stdout, stderr io.Writer, eng *lint.Engine, id string) int {
	r := eng.Rule(id)
	if r == nil {
		fmt.Fprintf(stderr, "composelint: unknown rule %q (see composelint rules)\n", id)
		return exitFailure
	}
	fmt.Fprint(stdout, rules.Markdown(r))
	return exitOK
}
