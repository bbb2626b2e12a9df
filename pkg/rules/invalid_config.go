package rules

import (
	"github.com/composelint/composelint/pkg/lint"
)

var InvalidConfig = &lint.Rule{
	ID:       lint.InvalidConfig,
	Summary:  "the .composelint.yaml configuration has a mistake",
	Severity: lint.Error,
	Doc: lint.Doc{
		What: "Reported by the language server at the place of a mistake in `.composelint.yaml`: an unknown key, rule, " +
			"severity or option, a value of the wrong type, an environment whose files do not exist. The command line " +
			"prints the same message and exits with code 2.",
		Why:     "Until the configuration is right, composelint cannot lint the project as configured.",
		Example: "rules:\n  obsolete-version: sometimes\n",
		Instead: "rules:\n  obsolete-version: off\n",
	},
}
