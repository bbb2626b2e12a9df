package rules

import (
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

var UndefinedVariable = &lint.Rule{
	ID:                 load.UndefinedVariable,
	Summary:            "a ${VARIABLE} is not set and becomes an empty string",
	Severity:           lint.Info,
	QuotesDependencies: true,
	Run:                lint.ReportLoadProblems,
	Doc: lint.Doc{
		What: "Reports a variable used for interpolation that has no value and no default. Values come from the `.env` " +
			"file beside the base file and from `--env KEY=VALUE`; the process environment only with `--os-env`, so " +
			"that CI and laptops give the same answer.",
		Why:     "docker compose silently substitutes an empty string, which often yields a broken image name, port or path.",
		Example: "services:\n  web:\n    image: \"myapp:${TAG}\"\n",
		Instead: "services:\n  web:\n    image: \"myapp:${TAG:-latest}\"\n",
	},
}
