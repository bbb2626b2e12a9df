package rules

import (
	"github.com/composelint/composelint/pkg/fix"
	"github.com/composelint/composelint/pkg/lint"
)

var FixFailed = &lint.Rule{
	ID:       fix.FixFailed,
	Summary:  "a fix was not applied because it could not be verified",
	Severity: lint.Warning,
	Doc: lint.Doc{
		What: "Reported by `--fix` when a suggested fix would have broken a file or changed more than it declared: the " +
			"fixed files must still parse, every environment must still load, and each environment's model may change " +
			"only where the fix said it would. Such a fix is dropped and nothing is written for it.",
		Why:     "A fixer must never damage a file. The finding it was meant to fix is still reported; fix it by hand.",
		Example: "# a fix whose edit inside an anchor would also change every alias of it\n",
		Instead: "# apply the change by hand, then run composelint again\n",
	},
}
