// Package resources judges a project's top-level volumes and networks:
// the networks a service joins, which ones the services of any environment use (also by name, through a
// variable a service creates containers with), and the report, with a safe
// fix, of those no environment uses.
package resources

import (
	"fmt"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
	"github.com/composelint/composelint/pkg/yamledit"
)

// VolumesUsed are the named volumes the services of a model mount.
func VolumesUsed(proj *types.Project) map[string]bool {
	used := map[string]bool{}
	for _, svc := range proj.Services {
		for _, v := range svc.Volumes {
			if v.Type == types.VolumeTypeVolume && v.Source != "" {
				used[v.Source] = true
			}
		}
	}
	markNamedInEnvironment(proj, byName(proj.Volumes, func(v types.VolumeConfig) string { return v.Name }), used)
	return used
}

// NetworksUsed are the networks the services of a model join (compose-go
// puts services without `networks` and `network_mode` on `default`), and
// those a build runs on.
func NetworksUsed(proj *types.Project) map[string]bool {
	used := map[string]bool{}
	for _, svc := range proj.Services {
		for name := range svc.Networks {
			used[name] = true
		}
		if svc.Build != nil && svc.Build.Network != "" {
			used[svc.Build.Network] = true
		}
	}
	markNamedInEnvironment(proj, byName(proj.Networks, func(n types.NetworkConfig) string { return n.Name }), used)
	return used
}

// byName maps the keys of top-level resources, and the Docker names their
// `name:` gives them, to their keys.
func byName[C any](declared map[string]C, name func(C) string) map[string]string {
	names := map[string]string{}
	for key, c := range declared {
		names[key] = key
		if n := name(c); n != "" {
			names[n] = key
		}
	}
	return names
}

// NetworksOf returns the networks a service joins, sorted (compose-go
// puts a service that lists none on the default network).
func NetworksOf(svc types.ServiceConfig) []string {
	if svc.NetworkMode != "" {
		return nil
	}
	if len(svc.Networks) == 0 {
		return []string{"default"}
	}
	out := make([]string, 0, len(svc.Networks))
	for n := range svc.Networks {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// ReportUnused reports, once per file and line, every top-level
// entry of section ("volumes", "networks") that some loaded environment
// declares and that no service of any loaded environment uses. A name that
// an environment which failed to load declares is left alone: what that
// environment uses is unknown.
func ReportUnused(p *lint.Pass, section string, used func(*types.Project) map[string]bool, message func(name string) string) {
	usedAnywhere := map[string]bool{}
	unknown := map[string]bool{}
	for _, env := range p.Project.Environments {
		if env == nil {
			continue
		}
		if env.Project == nil {
			if env.Index != nil {
				for _, name := range env.Index.Keys(index.Path{section}) {
					unknown[name] = true
				}
			}
			continue
		}
		for name := range used(env.Project) {
			usedAnywhere[name] = true
		}
	}
	type place struct {
		file string
		line int
	}
	seen := map[place]bool{}
	for _, env := range p.Project.Environments {
		if env == nil || env.Project == nil || env.Index == nil {
			continue
		}
		var declared []string
		switch section {
		case "volumes":
			for name := range env.Project.Volumes {
				declared = append(declared, name)
			}
		case "networks":
			for name := range env.Project.Networks {
				declared = append(declared, name)
			}
		}
		slices.Sort(declared)
		for _, name := range declared {
			if usedAnywhere[name] || unknown[name] {
				continue
			}
			// Only what a file declares: compose-go adds a `default`
			// network of its own, which no file holds.
			defs := env.Index.Defs(index.Path{section, name})
			if slices.ContainsFunc(defs, func(d index.Def) bool { return fileUses(p, d.File, section, name) }) {
				// The declaring file's own services use it: an override
				// of this environment replaced or reset them (sourcegraph's
				// external-databases example resets the databases of its
				// base file). The declaration belongs to that file, which
				// is used alone too: nothing to remove there.
				continue
			}
			for _, d := range defs {
				node := d.Node()
				at := place{d.File.Path, node.Line}
				if seen[at] {
					continue
				}
				seen[at] = true
				var fixes []lint.Fix
				if fx, ok := removeFix(d, section, name); ok {
					fixes = append(fixes, fx)
				}
				p.ReportRange(d.File, d.File.Span(node), message(name), fixes...)
			}
		}
	}
}

// fileUses tells whether a service of file f, as written in f alone
// (`<<` merges followed), mounts volume name (section "volumes") or joins
// network name (section "networks").
func fileUses(p *lint.Pass, f *source.File, section, name string) bool {
	lookup := func(k string) (string, bool) {
		v, ok := p.Project.Vars[k]
		return v, ok
	}
	for _, doc := range f.Docs {
		svcs := yamledit.Value(doc, "services")
		if svcs == nil || svcs.Kind != yaml.MappingNode {
			continue
		}
		for i := 1; i < len(svcs.Content); i += 2 {
			for _, list := range serviceField(svcs.Content[i], section, 0) {
				if listUses(list, section, name, lookup) {
					return true
				}
			}
		}
	}
	return false
}

// serviceField returns the values of field in a service mapping and in the
// mappings it merges with `<<`.
func serviceField(svc *yaml.Node, field string, depth int) []*yaml.Node {
	svc = yamledit.Deref(svc)
	if svc == nil || svc.Kind != yaml.MappingNode || depth > 8 {
		return nil
	}
	var out []*yaml.Node
	for i := 0; i+1 < len(svc.Content); i += 2 {
		k, v := svc.Content[i], yamledit.Deref(svc.Content[i+1])
		switch k.Value {
		case field:
			out = append(out, v)
		case "<<":
			if v != nil && v.Kind == yaml.SequenceNode {
				for _, m := range v.Content {
					out = append(out, serviceField(m, field, depth+1)...)
				}
			} else {
				out = append(out, serviceField(v, field, depth+1)...)
			}
		}
	}
	return out
}

// listUses reads a service's `volumes` or `networks` node.
func listUses(list *yaml.Node, section, name string, lookup func(string) (string, bool)) bool {
	if list == nil {
		return false
	}
	if section == "networks" {
		switch list.Kind {
		case yaml.SequenceNode:
			for _, it := range list.Content {
				if it = yamledit.Deref(it); it != nil && index.Interpolate(it.Value, lookup) == name {
					return true
				}
			}
		case yaml.MappingNode:
			for i := 0; i < len(list.Content); i += 2 {
				if index.Interpolate(list.Content[i].Value, lookup) == name {
					return true
				}
			}
		}
		return false
	}
	if list.Kind != yaml.SequenceNode {
		return false
	}
	for _, it := range list.Content {
		it = yamledit.Deref(it)
		if it == nil {
			continue
		}
		switch it.Kind {
		case yaml.ScalarNode:
			v, err := format.ParseVolume(index.Interpolate(it.Value, lookup))
			if err == nil && v.Type == types.VolumeTypeVolume && v.Source == name {
				return true
			}
		case yaml.MappingNode:
			if src := yamledit.Value(it, "source"); src != nil && index.Interpolate(src.Value, lookup) == name {
				if t := yamledit.Value(it, "type"); t == nil || t.Value == types.VolumeTypeVolume {
					return true
				}
			}
		}
	}
	return false
}

// markNamedInEnvironment marks as used the resources whose name (key, or
// the Docker name in `name:`) is the whole value of a service's environment
// variable or label: a service that creates containers at run time attaches
// them by name (appwrite's executor: OPR_EXECUTOR_NETWORK=runtimes).
func markNamedInEnvironment(proj *types.Project, names map[string]string, used map[string]bool) {
	for _, svc := range proj.Services {
		for _, v := range svc.Environment {
			if v != nil {
				if key, ok := names[*v]; ok {
					used[key] = true
				}
			}
		}
		for _, v := range svc.Labels {
			if key, ok := names[v]; ok {
				used[key] = true
			}
		}
	}
}

// removeFix deletes the declaration of name from the top-level
// section of file d.File: the entry's lines with the comment lines right
// above it, or the whole section when it is the only entry. No fix when the
// section is not a block mapping of the file itself (flow style, `<<`
// merges) or when the entry holds an anchor that something may use.
func removeFix(d index.Def, section, name string) (lint.Fix, bool) {
	f := d.File
	if d.Key == nil || f == nil {
		return lint.Fix{}, false
	}
	for _, doc := range f.Docs {
		if doc == nil || doc.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(doc.Content); i += 2 {
			secKey, sec := doc.Content[i], doc.Content[i+1]
			if secKey.Value != section || sec.Kind != yaml.MappingNode || sec.Style&yaml.FlowStyle != 0 || sec.Anchor != "" {
				continue
			}
			for j := 0; j+1 < len(sec.Content); j += 2 {
				if sec.Content[j] != d.Key {
					continue
				}
				if hasAnchor(sec.Content[j+1]) || sec.Content[j+1].Kind == yaml.AliasNode {
					return lint.Fix{}, false
				}
				var startLine, endLine int
				affects := []string{section + "." + name}
				if len(sec.Content) == 2 {
					// the only entry: the section goes, unless nothing
					// would be left of the file (Compose refuses an empty file)
					if len(doc.Content) == 2 && len(f.Docs) == 1 {
						return lint.Fix{}, false
					}
					startLine = secKey.Line
					endLine = entryEnd(f, doc, i)
					affects = []string{section}
				} else {
					startLine = d.Key.Line
					endLine = entryEnd(f, sec, j)
				}
				if endLine < startLine {
					return lint.Fix{}, false
				}
				// comment lines right above, at the key's indentation
				for startLine > 1 {
					prev := f.Line(startLine - 1)
					trimmed := strings.TrimLeft(prev, " \t")
					if !strings.HasPrefix(trimmed, "#") || len(prev)-len(trimmed) != indentOf(f.Line(startLine)) {
						break
					}
					startLine--
				}
				start, _ := f.LineBounds(startLine)
				_, end := f.LineBounds(endLine)
				// no double blank line (or trailing blank line) left behind
				prevBlank := startLine == 1 || strings.TrimSpace(f.Line(startLine-1)) == ""
				if prevBlank && endLine < f.Lines() && strings.TrimSpace(f.Line(endLine+1)) == "" {
					_, end = f.LineBounds(endLine + 1)
				}
				msg := fmt.Sprintf("remove the unused %s %s", strings.TrimSuffix(section, "s"), name)
				return lint.Fix{Message: msg, Safety: lint.Safe, Edits: []lint.TextEdit{{File: f, Start: start, End: end}}, Affects: affects}, true
			}
		}
	}
	return lint.Fix{}, false
}

// entryEnd returns the last line of the entry whose key is m.Content[j]:
// the line before the next key of m (or of the document, or the file's
// end), less the blank and comment lines that precede that key.
func entryEnd(f *source.File, m *yaml.Node, j int) int {
	next := f.Lines() + 1
	if j+2 < len(m.Content) {
		next = m.Content[j+2].Line
	} else {
		// the last entry of m: up to whatever follows m in the file
		if after := nodeAfter(f, m); after > 0 {
			next = after
		}
	}
	end := next - 1
	for end > m.Content[j].Line {
		t := strings.TrimSpace(f.Line(end))
		if t != "" && !strings.HasPrefix(t, "#") && t != "---" && t != "..." {
			break
		}
		end--
	}
	return end
}

// nodeAfter returns the line of the first key that follows mapping m in its
// document (0 when none: m runs to the end of the document or file).
func nodeAfter(f *source.File, m *yaml.Node) int {
	best := 0
	for _, doc := range f.Docs {
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n == nil {
				return
			}
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i+1] == m && i+2 < len(n.Content) {
						best = n.Content[i+2].Line
						return
					}
				}
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(doc)
		if best == 0 && yamledit.Contains(doc, m) {
			// m is last in its document: the next document starts after it
			for _, other := range f.Docs {
				if other != doc && other.Line > m.Line && (best == 0 || other.Line < best) {
					best = other.Line
				}
			}
		}
	}
	return best
}

func hasAnchor(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAnchor(c) {
			return true
		}
	}
	return false
}

func indentOf(line string) int {
	return len(line) - len(strings.TrimLeft(line, " \t"))
}
