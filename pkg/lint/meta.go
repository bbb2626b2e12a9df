package lint

// Meta-rules: IDs under which composelint reports its own trouble rather
// than a finding in the project. Each is a documented rule in pkg/rules,
// like every other ID a report can carry.
const (
	// InvalidConfig reports a mistake in .composelint.yaml where the CLI
	// would stop with exit code 2 (the language server shows it in the file).
	InvalidConfig = "invalid-config"
	// ProjectNotLinted reports a project that could not be linted at all (an
	// unreadable path, a file that cannot be resolved to a project).
	ProjectNotLinted = "project-not-linted"
)

// ReportLoadProblems is the Run of the rules whose findings the loader
// makes (yaml-syntax, compose-schema, …): it reports what loading the
// environment found under the pass's rule ID.
func ReportLoadProblems(p *Pass) {
	for _, pr := range p.Env.Problems {
		if pr.Rule == p.Rule.ID {
			p.ReportRange(pr.File, pr.Range, pr.Message)
		}
	}
}
