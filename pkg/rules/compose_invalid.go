package rules

import (
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

var ComposeInvalid = &lint.Rule{
	ID:                 load.ComposeInvalid,
	Summary:            "compose-go refuses to load the environment",
	Severity:           lint.Error,
	QuotesDependencies: true,
	Run:                lint.ReportLoadProblems,
	Doc: lint.Doc{
		What: "Reports why an environment (its files merged in `docker compose -f` order) cannot be loaded, when the " +
			"reason is neither YAML syntax nor the schema: a value of the wrong type after interpolation (`retries: many`), " +
			"a required variable that is missing (`${VAR:?message}`), an include or extends that cannot be resolved, a " +
			"dependency cycle, a reference to an undefined service, network, volume, secret or config.",
		Why:     "This is exactly what `docker compose config` would refuse.",
		Example: "services:\n  web:\n    image: nginx\n    healthcheck:\n      retries: many\n",
		Instead: "services:\n  web:\n    image: nginx\n    healthcheck:\n      retries: 3\n",
	},
}
