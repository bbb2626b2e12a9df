package rules

import (
	"github.com/composelint/composelint/pkg/lint"
)

var ProjectNotLinted = &lint.Rule{
	ID:       lint.ProjectNotLinted,
	Summary:  "composelint could not lint this project",
	Severity: lint.Error,
	Doc: lint.Doc{
		What: "Reported by the language server at the top of a project's open compose files when the project could " +
			"not be linted at all, for a reason other than its configuration: a file that cannot be read, a path that " +
			"cannot be resolved to a project. The command line prints the same message and exits with code 2.",
		Why:     "No other finding can be shown until composelint can read the project.",
		Example: "# a compose file that the editor shows but composelint cannot read (permissions)\n",
		Instead: "# make the project's files readable, then save again\n",
	},
}
