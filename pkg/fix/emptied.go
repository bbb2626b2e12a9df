package fix

import (
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/source"
)

// emptied returns the keys of after that a fix left with nothing under them
// (`volumes:` and no entry) where before held a non-empty block collection
// at the same path: a planner that deleted the last entry must delete its
// key too. Each is written "path (line N)".
func emptied(before, after *source.File) []string {
	if before == nil || after == nil || len(before.Docs) != len(after.Docs) {
		return nil
	}
	var out []string
	for i := range after.Docs {
		emptiedIn(before.Docs[i], after.Docs[i], nil, &out, 0)
	}
	return out
}

func emptiedIn(before, after *yaml.Node, path []string, out *[]string, depth int) {
	if before == nil || after == nil || before.Kind != yaml.MappingNode || after.Kind != yaml.MappingNode || depth > 32 {
		return
	}
	for i := 0; i+1 < len(after.Content); i += 2 {
		k, v := after.Content[i], after.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "<<" {
			continue
		}
		var was *yaml.Node
		for j := 0; j+1 < len(before.Content); j += 2 {
			if before.Content[j].Kind == yaml.ScalarNode && before.Content[j].Value == k.Value {
				was = before.Content[j+1]
			}
		}
		if was == nil {
			continue
		}
		p := append(path[:len(path):len(path)], k.Value)
		written := v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" && v.Anchor == ""
		if written && (was.Kind == yaml.MappingNode || was.Kind == yaml.SequenceNode) && len(was.Content) > 0 {
			*out = append(*out, fmt.Sprintf("%s (line %d)", strings.Join(p, "."), k.Line))
			continue
		}
		emptiedIn(was, v, p, out, depth+1)
	}
}
