package main

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/composelint/composelint/pkg/fix"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/report"
	"github.com/composelint/composelint/pkg/source"
)

// lintRun is one run over the PATHs: what the flags asked for, checked,
// and what linting (and fixing) found.
type lintRun struct {
	f           *flags
	eng         *lint.Engine
	writeReport report.Writer
	threshold   lint.Severity
	opts        project.Options
	stdinPath   string // the file whose content stdin held, or ""
	cwd         string

	all    []lint.Diagnostic
	linted decided
	diffs  strings.Builder
	// applied are the findings --fix fixed, for the reports that list them.
	applied []lint.Diagnostic
	// fragments are the compose files --recursive passed over.
	fragments []fragment
}

// lintPaths lints (or fixes, or diffs) the PATHs and reports.
func lintPaths(f *flags, eng *lint.Engine, paths []string, stdin io.Reader, stdout, stderr io.Writer) int {
	r, err := newLintRun(f, eng)
	if err != nil {
		fmt.Fprintf(stderr, "composelint: %v\n", err)
		return exitFailure
	}
	units, err := r.units(paths, stdin)
	if err != nil {
		return fail(stderr, err)
	}
	if text := r.fragmentsText(); text != "" {
		fmt.Fprintf(stderr, "composelint: %s\n", strings.TrimPrefix(text, "; "))
	}
	if f.doFix || f.diff {
		// One unit after another: each writes (or diffs) what it fixed.
		for _, unit := range units {
			if err := r.fixUnit(unit, stdout); err != nil {
				return fail(stderr, err)
			}
		}
	} else if err := r.lintAll(units); err != nil {
		return fail(stderr, err)
	}
	if f.diff {
		return r.printDiff(stdout, stderr)
	}
	return r.printReport(stdout, stderr)
}

// newLintRun checks the flags that linting needs; its errors are usage errors.
func newLintRun(f *flags, eng *lint.Engine) (*lintRun, error) {
	writeReport, ok := report.Lookup(f.format)
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want %s)", f.format, strings.Join(report.Formats, ", "))
	}
	if f.set.Changed("output-file") && f.outFile == "" {
		return nil, fmt.Errorf("--output-file needs a path")
	}
	threshold, err := lint.ParseSeverity(f.failLevel)
	if err != nil {
		return nil, fmt.Errorf("--fail-level: %v", err)
	}
	if f.unsafe && !f.doFix && !f.diff {
		return nil, fmt.Errorf("--unsafe-fixes needs --fix or --diff")
	}
	kv, err := envFlags(f.vars)
	if err != nil {
		return nil, err
	}
	cwd, _ := os.Getwd()
	return &lintRun{f: f, eng: eng, writeReport: writeReport, threshold: threshold, cwd: cwd,
		opts: project.Options{Files: f.files, EnvironmentName: f.envName, Vars: kv, OSEnv: f.osEnv, Rule: eng.Rule}}, nil
}

// units are what is linted, and fixed, independently: each PATH, or the -f
// files. The PATH "-" reads the content of --stdin-filename from stdin.
func (r *lintRun) units(paths []string, stdin io.Reader) ([][]string, error) {
	units := [][]string{nil}
	if len(r.f.files) == 0 {
		if len(paths) == 0 {
			paths = []string{"."}
		}
		units = nil
		for _, p := range paths {
			if !r.f.recursive || p == "-" {
				units = append(units, []string{p})
				continue
			}
			dirs, err := r.projectsBelow(p)
			if err != nil {
				return nil, err
			}
			for _, d := range dirs {
				units = append(units, []string{d})
			}
		}
	}
	if !slices.Contains(paths, "-") {
		return r.byProject(units), nil
	}
	if r.f.stdinName == "" || len(paths) != 1 {
		return nil, &project.UsageError{Msg: "\"-\" reads stdin: give it alone, with --stdin-filename PATH"}
	}
	data, err := io.ReadAll(io.LimitReader(stdin, source.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(r.f.stdinName)
	if err != nil {
		return nil, err
	}
	r.stdinPath = abs
	r.opts.Overlay = map[string][]byte{abs: data}
	return [][]string{{r.f.stdinName}}, nil
}

// projectsBelow expands a PATH for --recursive: a directory into every
// project below it, a file into itself.
func (r *lintRun) projectsBelow(p string) ([]string, error) {
	if st, err := os.Stat(p); err != nil || !st.IsDir() {
		return []string{p}, nil // linting it says what is wrong with it
	}
	dirs, fragments, err := projectDirs(p)
	if err != nil {
		return nil, err
	}
	r.fragments = append(r.fragments, fragments...)
	if len(dirs) == 0 {
		return nil, &project.UsageError{Msg: p + ": no compose project below it (looked for " + strings.Join(project.BaseNames, ", ") + ")" + r.fragmentsText()}
	}
	return dirs, nil
}

// fragmentsText says which compose files --recursive passed over as
// fragments, and how to lint one: "" when none.
func (r *lintRun) fragmentsText() string {
	if len(r.fragments) == 0 {
		return ""
	}
	const shown = 3
	var parts []string
	for _, f := range r.fragments[:min(shown, len(r.fragments))] {
		parts = append(parts, fmt.Sprintf("%s (%s)", filepath.ToSlash(source.Rel(r.cwd, f.path)), f.why))
	}
	more := ""
	if len(r.fragments) > shown {
		more = fmt.Sprintf(" and %d more", len(r.fragments)-shown)
	}
	return fmt.Sprintf("; not linted, as they do not run on their own: %s%s; lint one with the files it runs with (`composelint -f BASE -f FILE`)",
		strings.Join(parts, ", "), more)
}

// byProject joins the units of PATHs that belong to one project, where
// its first PATH stood, so that the project loads once however many of its
// files are named (pre-commit names every changed file). A PATH that does
// not resolve stays alone: linting it says why.
func (r *lintRun) byProject(units [][]string) [][]string {
	if len(units) < 2 {
		return units
	}
	var out [][]string
	at := map[string]int{}
	for _, u := range units {
		targets, err := project.Resolve(u, r.opts)
		if err != nil || len(targets) != 1 {
			out = append(out, u)
			continue
		}
		key := projectKey(targets[0])
		if i, ok := at[key]; ok {
			out[i] = append(out[i], u...)
			continue
		}
		at[key] = len(out)
		out = append(out, u)
	}
	return out
}

// projectKey tells projects apart: their directory and environments.
func projectKey(t *project.Target) string {
	var b strings.Builder
	b.WriteString(t.Dir)
	for _, e := range t.Envs {
		b.WriteString("\x00" + e.Name + "\x00" + strings.Join(e.Files, "\x00"))
	}
	return b.String()
}

// lintAll lints the units in parallel, as many at once as Go runs threads,
// and gathers what they found in the order of the units, so that the report
// is the same whatever finished first. The first unit that fails (in that
// order) fails the run.
func (r *lintRun) lintAll(units [][]string) error {
	type result struct {
		ds     []lint.Diagnostic
		linted decided
		err    error
	}
	results := make([]result, len(units))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(units)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res := &results[i]
				_, res.ds, res.err = unitLinter(r.eng, units[i], r.opts, &res.linted)(nil)
				lint.WithoutNodes(res.ds) // the project's trees can go now
			}
		}()
	}
	for i := range units {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, res := range results {
		if res.err != nil {
			return res.err
		}
		r.all = append(r.all, res.ds...)
		r.linted.merge(res.linted)
	}
	return nil
}

// fixUnit runs the fix engine on one unit with --fix and --diff: the
// fixes go to the files, to the diff, or (stdin) to stdout.
func (r *lintRun) fixUnit(unit []string, stdout io.Writer) error {
	var linted decided
	defer func() { r.linted.merge(linted) }()
	linter := unitLinter(r.eng, unit, r.opts, &linted)
	if r.f.doFix && !r.f.diff && r.stdinPath == "" {
		// Writing: hold the project's lock from the first read to the
		// last write, so that another fixer's changes are read, not lost.
		unlock, err := r.lockProject(unit)
		if err != nil {
			return err
		}
		defer unlock()
	}
	res, err := fix.Run(linter, fix.Options{Unsafe: r.f.unsafe})
	if err != nil {
		return err
	}
	r.all = append(r.all, res.Diagnostics...)
	r.all = append(r.all, res.Failed...)
	r.applied = append(r.applied, res.AppliedFindings...)
	switch {
	case r.f.diff:
		d, err := res.Diff(func(p string) string { return source.Rel(r.cwd, p) })
		r.diffs.WriteString(d)
		return err
	case r.stdinPath != "":
		// Editors: the fixed buffer on stdout, nothing written.
		content, ok := res.Fixed[r.stdinPath]
		if !ok {
			content = r.opts.Overlay[r.stdinPath]
		}
		_, err := stdout.Write(content)
		return err
	default:
		return res.Write()
	}
}

// lockProject takes the advisory lock of the project a unit belongs to.
func (r *lintRun) lockProject(unit []string) (func(), error) {
	targets, err := project.Resolve(unit, r.opts)
	if err != nil {
		return nil, err
	}
	return fix.LockProject(targets[0].Dir)
}

// printDiff prints what --fix would change; a change is exit code 1.
func (r *lintRun) printDiff(stdout, stderr io.Writer) int {
	var err error
	if r.f.outFile != "" {
		err = report.WriteFile(r.f.outFile, []byte(r.diffs.String()))
	} else {
		_, err = fmt.Fprint(stdout, r.diffs.String())
	}
	if err != nil {
		return fail(stderr, err)
	}
	if r.diffs.Len() > 0 {
		return exitFindings
	}
	return exitOK
}

// printReport writes the findings in the chosen format; exit code 1 when
// one is at or above the fail level.
func (r *lintRun) printReport(stdout, stderr io.Writer) int {
	lint.Sort(r.all)
	ropts := report.Options{Cwd: r.cwd, Quiet: r.f.quiet, Environments: r.linted.names(), Applied: r.applied,
		Linted: r.linted.envs, Notes: r.linted.notes,
		Color:       !r.f.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout) && r.f.outFile == "",
		Rules:       r.eng.Rules,
		ToolVersion: toolVersion()}
	out := stdout
	if r.stdinPath != "" && r.f.doFix {
		out = stderr // stdout holds the fixed content
		ropts.Color = false
	}
	if r.f.outFile != "" {
		var buf bytes.Buffer
		if err := r.writeReport(&buf, r.all, ropts); err != nil {
			return fail(stderr, err)
		}
		if err := report.WriteFile(r.f.outFile, buf.Bytes()); err != nil {
			return fail(stderr, err)
		}
	} else if err := r.writeReport(out, r.all, ropts); err != nil {
		return fail(stderr, err)
	}
	for _, d := range r.all {
		if d.Severity >= r.threshold {
			return exitFindings
		}
	}
	return exitOK
}

// unitLinter returns a linter of one PATH (or of the -f files): resolve the
// project with the overlay in place of the files on disk, load it, run the
// rules, keep what the user asked to see.
func unitLinter(eng *lint.Engine, paths []string, base project.Options, linted *decided) fix.Linter {
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
		for _, o := range targets[1:] {
			// PATHs of one project (see byProject): report in each.
			if t.Only == nil || o.Only == nil {
				t.Only = nil
				continue
			}
			maps.Copy(t.Only, o.Only)
		}
		p, err := t.Load()
		if err != nil {
			return nil, nil, err
		}
		*linted = decidedBy(t) // the latest round's: a fix may add an override
		var out []lint.Diagnostic
		for _, d := range t.Run(eng, p) {
			if t.Reports(d.File.Path) {
				out = append(out, d)
			}
		}
		return p, out, nil
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && report.IsTerminal(f)
}
