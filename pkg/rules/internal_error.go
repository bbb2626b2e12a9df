package rules

import (
	"github.com/composelint/composelint/pkg/lint"
)

var InternalError = &lint.Rule{
	ID:       lint.InternalError,
	Summary:  "a rule failed on this project",
	Severity: lint.Error,
	Doc: lint.Doc{
		What: "Reported when a rule crashes on a project instead of taking the whole run down: the other rules' findings " +
			"are still reported.",
		Why:     "It is a bug in composelint. Please report it with the files that trigger it.",
		Example: "# any project on which a rule fails\n",
		Instead: "# nothing to change in the project; upgrade composelint once the bug is fixed\n",
	},
}
