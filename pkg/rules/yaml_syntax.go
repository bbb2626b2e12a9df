package rules

import (
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

var YamlSyntax = &lint.Rule{
	ID:                 load.YAMLSyntax,
	Summary:            "the file is not valid YAML",
	Severity:           lint.Error,
	QuotesDependencies: true,
	Run:                lint.ReportLoadProblems,
	Doc: lint.Doc{
		What: "Reports a file that cannot be parsed as YAML (a syntax error, a tab used for indentation, an undefined alias, " +
			"a binary or non-UTF-8 file, a file over 8 MiB), at the line where parsing stopped.",
		Why:     "docker compose refuses the whole project; nothing else in the file can be checked.",
		Example: "services:\n  web:\n    ports: [\"8000:8000\"\n",
		Instead: "services:\n  web:\n    ports: [\"8000:8000\"]\n",
	},
}
