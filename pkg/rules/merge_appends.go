package rules

import (
	"fmt"
	"path/filepath"
	"slices"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/yamledit"
)

var MergeAppends = &lint.Rule{
	ID:       "merge-appends",
	Summary:  "an override adds `ports` or `expose` to a service whose earlier file has them: Compose keeps both",
	Severity: lint.Warning,
	Fixable:  true,
	Run:      mergeAppends,
	Doc: lint.Doc{
		What: "Reports, in an environment of several files other than development, a `ports` or `expose` list that a later " +
			"file (the production file) gives a service whose earlier file already lists others (a development override " +
			"that publishes more ports usually means to). Compose merges these lists by " +
			"appending: the service publishes the earlier ports and the later ones. The unsafe fix tags the later list " +
			"`!override` (Compose 2.24.4 and later), so that it replaces the earlier one.",
		Why: "An override is usually read as a replacement: `ports: [\"80:8000\"]` in the production file looks like it " +
			"moves the app from 8000 to 80, while production in fact publishes both, the development port included. " +
			"`!override` says what is meant; when both are meant, leave the lists as they are and suppress the finding.",
		Example: "# docker-compose.yml\nservices:\n  web:\n    image: ghcr.io/example/app:1.4\n    ports:\n      - \"127.0.0.1:8000:8000\"\n" +
			"# docker/docker-compose.prod.yml\nservices:\n  web:\n    ports:\n      - \"80:8000\"\n",
		Instead: "# docker/docker-compose.prod.yml\nservices:\n  web:\n    ports: !override\n      - \"80:8000\"\n",
	},
}

func mergeAppends(p *lint.Pass) {
	if len(p.Env.Files) < 2 || lint.IsDevelopment(p.Env.Name) {
		return // a development override that publishes more ports means to
	}
	for _, svc := range p.WrittenServices() {
		for _, field := range []string{"ports", "expose"} {
			path := index.Path{"services", svc.Name, field}
			defs := p.Env.Index.Defs(path)
			if len(defs) < 2 {
				continue
			}
			last := defs[len(defs)-1]
			earlier := map[string]bool{}
			for _, d := range defs[:len(defs)-1] {
				if d.File != last.File {
					for _, v := range seqValues(d.Value) {
						earlier[v] = true
					}
				}
			}
			added := 0
			for _, v := range seqValues(last.Value) {
				if !earlier[v] {
					added++
				}
			}
			if len(earlier) == 0 || added == 0 || last.Key == nil {
				continue
			}
			first := defs[0]
			msg := fmt.Sprintf("%s adds %d to the %s of %s that %s already lists: Compose appends them, so %s has both lists; "+
				"write `%s: !override` to replace the earlier ones", filepath.Base(last.File.Path), added, field, svc.Name,
				filepath.Base(first.File.Path), p.Env.Name, field)
			p.Report(last.File, last.Key, msg, overrideFix(last, svc.Name, field)...)
		}
	}
}

// seqValues are the scalar items of a sequence node, as written.
func seqValues(n *yaml.Node) []string {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, it := range n.Content {
		if it.Kind == yaml.ScalarNode && !slices.Contains(out, it.Value) {
			out = append(out, it.Value)
		}
	}
	return out
}

// overrideFix tags a list `!override` right after its key's colon. None
// when the value carries a tag or anchor already, or when the list is not
// the service's own (an anchor other services share).
func overrideFix(def index.Def, service, field string) []lint.Fix {
	v, f := def.Value, def.File
	if v.Tag != "!!seq" || v.Anchor != "" || v.Kind != yaml.SequenceNode || !yamledit.InService(def.File, def.Value, service) {
		return nil
	}
	end := f.Offset(f.Span(def.Key).End)
	for end < len(f.Content) && (f.Content[end] == ' ' || f.Content[end] == '\t') {
		end++
	}
	if end >= len(f.Content) || f.Content[end] != ':' {
		return nil
	}
	return []lint.Fix{{
		Message: "replace the earlier " + field + " (`!override`)", Safety: lint.Unsafe,
		Edits:   []lint.TextEdit{{File: f, Start: end + 1, End: end + 1, NewText: " !override"}},
		Affects: []string{"services." + service + "." + field},
	}}
}
