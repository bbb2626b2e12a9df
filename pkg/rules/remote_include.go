package rules

import (
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

var RemoteInclude = &lint.Rule{
	ID:                 load.RemoteInclude,
	Summary:            "an include names a remote project, which composelint does not fetch",
	Severity:           lint.Info,
	QuotesDependencies: true,
	Run:                lint.ReportLoadProblems,
	Doc: lint.Doc{
		What: "Reports an `include` (or `extends.file`) of a remote resource: an OCI artifact (`oci://…`) or a git " +
			"repository (`https://…git#ref:path`, `git@…`). composelint never goes to the network: the remote project " +
			"counts as one without services, and the rest of the environment is linted.",
		Why:     "Its services are not checked, and rules that need them (a dependency on one of its services) may report what the remote project would provide.",
		Example: "include:\n  - oci://registry.example.com/platform/compose:1.4\n",
		Instead: "# lint the remote project in its own repository, or include a local copy:\ninclude:\n  - ./vendor/platform/compose.yaml\n",
	},
}
