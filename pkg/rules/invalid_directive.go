package rules

import (
	"github.com/composelint/composelint/pkg/lint"
)

var InvalidDirective = &lint.Rule{
	ID:       lint.InvalidDirective,
	Summary:  "a composelint-disable comment names an unknown rule",
	Severity: lint.Warning,
	Doc: lint.Doc{
		What:    "Reports a rule ID in a `# composelint-disable-line`, `-next-line` or `-file` comment that no rule has.",
		Why:     "A misspelt ID suppresses nothing, so the finding it was meant to silence still fails the build, or, after a rule is renamed, the comment lingers.",
		Example: "    ports: [\"8000:8000\"]  # composelint-disable-line developmnet-only-in-production\n",
		Instead: "    ports: [\"8000:8000\"]  # composelint-disable-line development-only-in-production\n",
	},
}
