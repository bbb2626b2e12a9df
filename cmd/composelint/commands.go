package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/lsp"
	"github.com/composelint/composelint/pkg/rules"
)

// listRules prints the rules as a table, or with --format json as one
// object: {"version": 1, "rules": [{"id", "severity", "fixable", "summary", "url"}]}.
func listRules(w, stderr io.Writer, eng *lint.Engine, format string) int {
	switch format {
	case "json":
		return listRulesJSON(w, stderr, eng)
	case "text":
	default:
		fmt.Fprintf(stderr, "composelint: rules: unknown format %q (want text or json)\n", format)
		return exitFailure
	}
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
		summary := r.Summary
		if r.Strict {
			summary += " (strict: off by default)"
		}
		fmt.Fprintf(w, "%-*s  %-8s  %-3s  %s\n", width, r.ID, r.Severity, fix, summary)
	}
	return exitOK
}

type ruleJSON struct {
	ID           string   `json:"id"`
	Severity     string   `json:"severity"`
	Fixable      bool     `json:"fixable"`
	Summary      string   `json:"summary"`
	URL          string   `json:"url"`
	Environments []string `json:"environments,omitempty"`
}

func listRulesJSON(w, stderr io.Writer, eng *lint.Engine) int {
	out := struct {
		Version int        `json:"version"`
		Rules   []ruleJSON `json:"rules"`
	}{Version: 1}
	for _, r := range eng.Rules {
		out.Rules = append(out.Rules, ruleJSON{ID: r.ID, Severity: r.Severity.String(), Fixable: r.Fixable,
			Summary: r.Summary, URL: r.DocURL(), Environments: r.Environments})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fail(stderr, err)
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
