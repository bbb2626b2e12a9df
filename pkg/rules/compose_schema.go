package rules

import (
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

var ComposeSchema = &lint.Rule{
	ID:                 load.ComposeSchema,
	Summary:            "the file violates the Compose specification's schema",
	Severity:           lint.Error,
	QuotesDependencies: true,
	Run:                lint.ReportLoadProblems,
	Doc: lint.Doc{
		What: "Reports every violation of the Compose JSON schema, each at its own line: unknown keys, values of the wrong " +
			"type, values outside the allowed set. docker compose stops at the first one; composelint lists them all.",
		Why:     "docker compose refuses to run a project whose files violate the schema.",
		Example: "services:\n  web:\n    image: nginx\n    restart: sometimes\n    wrongField: 1\n",
		Instead: "services:\n  web:\n    image: nginx\n    restart: unless-stopped\n",
	},
}
