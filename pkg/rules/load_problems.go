package rules

import (
	"github.com/composelint/composelint/pkg/fix"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

// reportProblems reports what loading the environment found under this rule's ID.
func reportProblems(p *lint.Pass) {
	for _, pr := range p.Env.Problems {
		if pr.Rule == p.Rule.ID {
			p.ReportRange(pr.File, pr.Range, pr.Message)
		}
	}
}

var _ = register(&lint.Rule{
	ID:       load.YAMLSyntax,
	Summary:  "the file is not valid YAML",
	Severity: lint.Error,
	Run:      reportProblems,
	Doc: lint.Doc{
		What: "Reports a file that cannot be parsed as YAML (a syntax error, a tab used for indentation, an undefined alias, " +
			"a binary or non-UTF-8 file, a file over 8 MiB), at the line where parsing stopped.",
		Why:     "docker compose refuses the whole project; nothing else in the file can be checked.",
		Example: "services:\n  web:\n    ports: [\"8000:8000\"\n",
		Instead: "services:\n  web:\n    ports: [\"8000:8000\"]\n",
	},
})

var _ = register(&lint.Rule{
	ID:       load.ComposeSchema,
	Summary:  "the file violates the Compose specification's schema",
	Severity: lint.Error,
	Run:      reportProblems,
	Doc: lint.Doc{
		What: "Reports every violation of the Compose JSON schema, each at its own line: unknown keys, values of the wrong " +
			"type, values outside the allowed set. docker compose stops at the first one; composelint lists them all.",
		Why:     "docker compose refuses to run a project whose files violate the schema.",
		Example: "services:\n  web:\n    image: nginx\n    restart: sometimes\n    wrongField: 1\n",
		Instead: "services:\n  web:\n    image: nginx\n    restart: unless-stopped\n",
	},
})

var _ = register(&lint.Rule{
	ID:       load.ComposeInvalid,
	Summary:  "compose-go refuses to load the environment",
	Severity: lint.Error,
	Run:      reportProblems,
	Doc: lint.Doc{
		What: "Reports why an environment (its files merged in `docker compose -f` order) cannot be loaded, when the " +
			"reason is neither YAML syntax nor the schema: a value of the wrong type after interpolation (`retries: many`), " +
			"a required variable that is missing (`${VAR:?message}`), an include or extends that cannot be resolved, a " +
			"dependency cycle, a reference to an undefined service, network, volume, secret or config.",
		Why:     "This is exactly what `docker compose config` would refuse.",
		Example: "services:\n  web:\n    image: nginx\n    healthcheck:\n      retries: many\n",
		Instead: "services:\n  web:\n    image: nginx\n    healthcheck:\n      retries: 3\n",
	},
})

var _ = register(&lint.Rule{
	ID:       load.EnvFileMissing,
	Summary:  "an env_file does not exist",
	Severity: lint.Info,
	Run:      reportProblems,
	Doc: lint.Doc{
		What: "Reports an `env_file` entry whose file does not exist. Linting goes on without its variables.",
		Why: "Many projects create their env file at deploy time (the wemake-django-template's `config/.env` comes from " +
			"`config/.env.template`), so this is only information; but `docker compose up` fails if the file is still " +
			"missing when it runs. Mark deliberately optional files with `required: false`.",
		Example: "services:\n  web:\n    env_file: ./config/.env\n",
		Instead: "services:\n  web:\n    env_file:\n      - path: ./config/.env\n        required: false\n",
	},
})

var _ = register(&lint.Rule{
	ID:       load.UndefinedVariable,
	Summary:  "a ${VARIABLE} is not set and becomes an empty string",
	Severity: lint.Info,
	Run:      reportProblems,
	Doc: lint.Doc{
		What: "Reports a variable used for interpolation that has no value and no default. Values come from the `.env` " +
			"file beside the base file and from `--env KEY=VALUE`; the process environment only with `--os-env`, so " +
			"that CI and laptops give the same answer.",
		Why:     "docker compose silently substitutes an empty string, which often yields a broken image name, port or path.",
		Example: "services:\n  web:\n    image: \"myapp:${TAG}\"\n",
		Instead: "services:\n  web:\n    image: \"myapp:${TAG:-latest}\"\n",
	},
})

var _ = register(&lint.Rule{
	ID:       load.ComposeWarning,
	Summary:  "compose-go warns about the environment",
	Severity: lint.Warning,
	Run:      reportProblems,
	Doc: lint.Doc{
		What:    "Reports the warnings docker compose itself would print while loading, such as the deprecated `external.name`.",
		Why:     "Warnings that scroll past in a terminal are easy to miss; in CI they are lost.",
		Example: "volumes:\n  data:\n    external:\n      name: shared-data\n",
		Instead: "volumes:\n  data:\n    name: shared-data\n    external: true\n",
	},
})

var _ = register(&lint.Rule{
	ID:       lint.InvalidDirective,
	Summary:  "a composelint-disable comment names an unknown rule",
	Severity: lint.Warning,
	Doc: lint.Doc{
		What:    "Reports a rule ID in a `# composelint-disable-line`, `-next-line` or `-file` comment that no rule has.",
		Why:     "A misspelt ID suppresses nothing, so the finding it was meant to silence still fails the build, or, after a rule is renamed, the comment lingers.",
		Example: "    ports: [\"8000:8000\"]  # composelint-disable-line developmnet-only-in-production\n",
		Instead: "    ports: [\"8000:8000\"]  # composelint-disable-line development-only-in-production\n",
	},
})

var _ = register(&lint.Rule{
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
})

var _ = register(&lint.Rule{
	ID:       load.RemoteInclude,
	Summary:  "an include names a remote project, which composelint does not fetch",
	Severity: lint.Info,
	Run:      reportProblems,
	Doc: lint.Doc{
		What: "Reports an `include` (or `extends.file`) of a remote resource: an OCI artifact (`oci://…`) or a git " +
			"repository (`https://…git#ref:path`, `git@…`). composelint never goes to the network: the remote project " +
			"counts as one without services, and the rest of the environment is linted.",
		Why:     "Its services are not checked, and rules that need them (a dependency on one of its services) may report what the remote project would provide.",
		Example: "include:\n  - oci://registry.example.com/platform/compose:1.4\n",
		Instead: "# lint the remote project in its own repository, or include a local copy:\ninclude:\n  - ./vendor/platform/compose.yaml\n",
	},
})

var _ = register(&lint.Rule{
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
})
