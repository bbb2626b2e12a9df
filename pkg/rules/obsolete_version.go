package rules

import (
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

var ObsoleteVersion = &lint.Rule{
	ID:       "obsolete-version",
	Summary:  "the top-level `version` is obsolete and ignored",
	Severity: lint.Warning,
	Fixable:  true,
	Run:      obsoleteVersion,
	Doc: lint.Doc{
		What: "Reports a top-level `version` key, in every file that has one.",
		Why: "Compose v2 ignores `version` (the Compose Specification merged the v2 and v3 formats) and prints a warning " +
			"on every command. The number misleads readers into thinking features are restricted to that format.",
		Example: "version: \"3.8\"\nservices:\n  web:\n    image: nginx\n",
		Instead: "services:\n  web:\n    image: nginx\n",
	},
}

func obsoleteVersion(p *lint.Pass) {
	for _, f := range p.Env.Files {
		for _, doc := range f.Docs {
			if doc.Kind != yaml.MappingNode {
				continue
			}
			for i := 0; i+1 < len(doc.Content); i += 2 {
				if k := doc.Content[i]; k.Value == "version" {
					p.Report(f, k, "`version` is obsolete: Compose ignores it; remove it", removeVersion(f, k, doc.Content[i+1]))
				}
			}
		}
	}
}

// removeVersion deletes the lines of the `version` entry (a comment on them
// goes too), and a blank line after it when nothing but blank lines or the
// document start precede it, so that the file does not start with a gap.
func removeVersion(f *source.File, key, value *yaml.Node) lint.Fix {
	last := key.Line
	if value.Line > last {
		last = value.Line
	}
	start, _ := f.LineBounds(key.Line)
	_, end := f.LineBounds(last)
	if strings.TrimSpace(string(f.Content[:start])) == "" || strings.HasSuffix(strings.TrimRight(string(f.Content[:start]), "\r\n"), "---") {
		if _, next := f.LineBounds(last + 1); strings.TrimSpace(string(f.Content[end:next])) == "" && next > end {
			end = next
		}
	}
	return lint.Fix{
		Message: "remove the obsolete `version`",
		Safety:  lint.Safe,
		Edits:   []lint.TextEdit{{File: f, Start: start, End: end}},
	}
}
