// Command composelint lints Docker Compose projects: the base file and its
// overrides, merged per environment as docker compose would run them.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/composelint/composelint/pkg/config"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/report"
	"github.com/composelint/composelint/pkg/rules"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const (
	exitOK       = 0
	exitFindings = 1
	exitFailure  = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `Usage:
  composelint [flags] [PATH ...]   lint the Compose project of each PATH (default: .)
  composelint rules                list the rules
  composelint explain RULE         print a rule's documentation

A PATH is a project directory, or a file of a project: the whole project is
loaded, and only that file's findings are reported.

Flags:
`

// run is main without os.Exit, for tests. It never lets a panic reach the user.
func run(args []string, stdout, stderr io.Writer) (code int) {
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
		format    = fs.String("format", "text", "output format: text or json")
		quiet     = fs.BoolP("quiet", "q", false, "print findings only, without source lines or summary")
		noColor   = fs.Bool("no-color", false, "never colour the output (also NO_COLOR=1)")
		failLevel = fs.String("fail-level", "warning", "lowest severity that makes the exit code 1: error, warning or info")
		showVer   = fs.Bool("version", false, "print the version and exit")
		help      = fs.BoolP("help", "h", false, "show this help")
	)
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
		}
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "composelint: unknown format %q (want text or json)\n", *format)
		return exitFailure
	}
	threshold, err := lint.ParseSeverity(*failLevel)
	if err != nil {
		fmt.Fprintf(stderr, "composelint: --fail-level: %v\n", err)
		return exitFailure
	}
	kv := map[string]string{}
	for _, v := range *vars {
		k, val, ok := strings.Cut(v, "=")
		if !ok || k == "" {
			fmt.Fprintf(stderr, "composelint: --env %q: want KEY=VALUE\n", v)
			return exitFailure
		}
		kv[k] = val
	}
	targets, err := project.Resolve(rest, project.Options{
		Files: *files, EnvironmentName: *envName, Vars: kv, OSEnv: *osEnv, Rule: eng.Rule,
	})
	if err != nil {
		return fail(stderr, err)
	}
	cwd, _ := os.Getwd()
	var all []lint.Diagnostic
	var envNames []string
	for _, t := range targets {
		p, err := t.Load()
		if err != nil {
			return fail(stderr, err)
		}
		e := *eng
		if t.Config != nil {
			e.Config = t.Config.Rules
		}
		for _, env := range p.Environments {
			envNames = appendNew(envNames, env.Name)
		}
		for _, d := range e.Run(p) {
			if t.Only != nil && !t.Only[d.File.Path] {
				continue
			}
			if t.Config.Ignored(report.RelPath(t.Dir, d.File.Path)) {
				continue
			}
			all = append(all, d)
		}
	}
	opts := report.Options{Cwd: cwd, Quiet: *quiet, Environments: envNames,
		Color: !*noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout)}
	if *format == "json" {
		err = report.JSON(stdout, all, opts)
	} else {
		err = report.Text(stdout, all, opts)
	}
	if err != nil {
		return fail(stderr, err)
	}
	for _, d := range all {
		if d.Severity >= threshold {
			return exitFindings
		}
	}
	return exitOK
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
