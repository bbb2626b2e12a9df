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
	b.WriteString("\n\n## What it does\n\n" + r.Doc.What + "\n\n## Why\n\n" + r.Doc.Why + "\n")
	if r.Doc.Example != "" {
		b.WriteString("\n## Example\n\n```yaml\n" + strings.TrimRight(r.Doc.Example, "\n") + "\n```\n")
	}
	if r.Doc.Instead != "" {
		b.WriteString("\n## Instead\n\n```yaml\n" + strings.TrimRight(r.Doc.Instead, "\n") + "\n```\n")
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
