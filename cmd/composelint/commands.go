package main

import (
	"fmt"
	"io"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/lsp"
	"github.com/composelint/composelint/pkg/rules"
)

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

// serveLSP runs the language server on stdin/stdout; its log goes to stderr.
func serveLSP(stdin io.Reader, stdout, stderr io.Writer, eng *lint.Engine, vars map[string]string, osEnv bool) int {
	return lsp.Serve(stdin, stdout, lsp.Options{Engine: eng, Vars: vars, OSEnv: osEnv, Log: stderr, Version: toolVersion()})
}
