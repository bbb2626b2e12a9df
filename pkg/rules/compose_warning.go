package rules

import (
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

var ComposeWarning = &lint.Rule{
	ID:                 load.ComposeWarning,
	Summary:            "compose-go warns about the environment",
	Severity:           lint.Warning,
	QuotesDependencies: true,
	Run:                lint.ReportLoadProblems,
	Doc: lint.Doc{
		What:    "Reports the warnings docker compose itself would print while loading, such as the deprecated `external.name`.",
		Why:     "Warnings that scroll past in a terminal are easy to miss; in CI they are lost.",
		Example: "volumes:\n  data:\n    external:\n      name: shared-data\n",
		Instead: "volumes:\n  data:\n    name: shared-data\n    external: true\n",
	},
}
