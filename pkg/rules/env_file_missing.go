package rules

import (
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

var EnvFileMissing = &lint.Rule{
	ID:                 load.EnvFileMissing,
	Summary:            "an env_file does not exist",
	Severity:           lint.Info,
	QuotesDependencies: true,
	Run:                lint.ReportLoadProblems,
	Doc: lint.Doc{
		What: "Reports an `env_file` entry whose file does not exist. Linting goes on without its variables.",
		Why: "Many projects create their env file at deploy time (the wemake-django-template's `config/.env` comes from " +
			"`config/.env.template`), so this is only information; but `docker compose up` fails if the file is still " +
			"missing when it runs. Mark deliberately optional files with `required: false`.",
		Example: "services:\n  web:\n    env_file: ./config/.env\n",
		Instead: "services:\n  web:\n    env_file:\n      - path: ./config/.env\n        required: false\n",
	},
}
