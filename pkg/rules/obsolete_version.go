package rules

import (
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/lint"
)

var _ = register(&lint.Rule{
	ID:       "obsolete-version",
	Summary:  "the top-level `version` is obsolete and ignored",
	Severity: lint.Warning,
	Run:      obsoleteVersion,
	Doc: lint.Doc{
		What: "Reports a top-level `version` key, in every file that has one.",
		Why: "Compose v2 ignores `version` (the Compose Specification merged the v2 and v3 formats) and prints a warning " +
			"on every command. The number misleads readers into thinking features are restricted to that format.",
		Example: "version: \"3.8\"\nservices:\n  web:\n    image: nginx\n",
		Instead: "services:\n  web:\n    image: nginx\n",
	},
})

func obsoleteVersion(p *lint.Pass) {
	for _, f := range p.Env.Files {
		for _, doc := range f.Docs {
			if doc.Kind != yaml.MappingNode {
				continue
			}
			for i := 0; i+1 < len(doc.Content); i += 2 {
				if k := doc.Content[i]; k.Value == "version" {
					p.Report(f, k, "`version` is obsolete: Compose ignores it; remove it")
				}
			}
		}
	}
}
