package rules

import (
	"fmt"
	"strings"

	"github.com/composelint/composelint/pkg/lint"
)

// Markdown renders a rule's documentation; `composelint explain` prints it
// and docs/rules.md is generated from it.
func Markdown(r *lint.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s.\n\nDefault severity: %s.", r.ID, capitalize(r.Summary), r.Severity)
	if r.Fixable {
		b.WriteString(" Fixable.")
	}
	if r.Strict {
		b.WriteString(" Off by default: one of the strict rules, run with `--strict`, `strict: true` in `.composelint.yaml`, " +
			"or alone when `.composelint.yaml` names it under `rules:`.")
	}
	if r.DevelopmentWeighsLess {
		b.WriteString(" A finding that only the development environment has is reported one level lower.")
	}
	if r.SecuritySeverity > 0 {
		fmt.Fprintf(&b, " SARIF security-severity: %.1f.", r.SecuritySeverity)
	}
	b.WriteString("\n\n## What it does\n\n" + r.Doc.What + "\n\n## Why\n\n" + r.Doc.Why + "\n")
	syntax := r.Doc.Syntax
	if syntax == "" {
		syntax = "yaml"
	}
	if r.Doc.Example != "" {
		b.WriteString("\n## Example\n\n```" + syntax + "\n" + strings.TrimRight(r.Doc.Example, "\n") + "\n```\n")
	}
	if r.Doc.Instead != "" {
		b.WriteString("\n## Instead\n\n```" + syntax + "\n" + strings.TrimRight(r.Doc.Instead, "\n") + "\n```\n")
	}
	if len(r.Options) > 0 {
		b.WriteString("\n## Options\n\n")
		for _, o := range r.Options {
			fmt.Fprintf(&b, "- `%s` (default `%v`): %s\n", o.Name, o.Default, o.Doc)
		}
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Reference renders the documentation of every rule, with a table of them
// first: docs/rules.md is this text (a test keeps the two equal).
func Reference() string {
	var b strings.Builder
	b.WriteString("# composelint rules\n\n<!-- Generated from the rule definitions in pkg/rules: run " +
		"`go test ./pkg/rules -run TestReference -update` after changing one. -->\n\n")
	b.WriteString("| rule | severity | fix | summary |\n|---|---|---|---|\n")
	for _, r := range All() {
		fix := ""
		if r.Fixable {
			fix = "yes"
		}
		sev := r.Severity.String()
		if r.Strict {
			sev += " (strict)"
		}
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", r.ID, r.ID, sev, fix, r.Summary)
	}
	for _, r := range All() {
		b.WriteString("\n")
		// Demote the rule's headings one level under the page title.
		for _, line := range strings.SplitAfter(Markdown(r), "\n") {
			if strings.HasPrefix(line, "#") {
				line = "#" + line
			}
			b.WriteString(line)
		}
	}
	return b.String()
}
