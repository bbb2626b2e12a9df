package schema

import (
	"strconv"

	yaml "go.yaml.in/yaml/v4"
)

// maxMergeDepth bounds how deep merge keys are followed into merge keys.
const maxMergeDepth = 64

// step is one segment of an instance location found in the YAML tree: the
// key node of a mapping entry (nil for a sequence item) and the value node,
// as written (an alias stays an alias).
type step struct {
	key, value *yaml.Node
}

// node is where a diagnostic about this step points: the key of a mapping
// entry, so that the caret sits on `retries:`; the item of a sequence.
func (s step) node() *yaml.Node {
	if s.key != nil {
		return s.key
	}
	return s.value
}

// locate follows the JSON-pointer segments loc from the document root and
// returns the steps it could follow; fewer than len(loc) when the tree does
// not hold the rest.
func locate(root *yaml.Node, loc []string) []step {
	steps := make([]step, 0, len(loc))
	cur := root
	for _, seg := range loc {
		n := resolve(cur)
		if n == nil {
			break
		}
		var s step
		switch n.Kind {
		case yaml.MappingNode:
			k, v := lookupKey(n, seg, 0)
			if k == nil {
				return steps
			}
			s = step{key: k, value: v}
		case yaml.SequenceNode:
			item := sequenceItem(n, seg)
			if item == nil {
				return steps
			}
			s = step{value: item}
		default:
			return steps
		}
		steps = append(steps, s)
		cur = s.value
	}
	return steps
}

// resolve follows aliases to the node they stand for.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxMergeDepth; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// sequenceItem returns item seg of the sequence, counting as the decoder
// does: without items tagged !reset.
func sequenceItem(seq *yaml.Node, seg string) *yaml.Node {
	i, err := strconv.Atoi(seg)
	if err != nil || i < 0 {
		return nil
	}
	for _, item := range seq.Content {
		if isReset(item) {
			continue
		}
		if i == 0 {
			return item
		}
		i--
	}
	return nil
}

// lookupKey finds the entry name of mapping m: among its own keys first, then
// in the mappings it merges with `<<` (a mapping, or a sequence of mappings
// where the first one to hold the key wins), as YAML merge keys resolve.
func lookupKey(m *yaml.Node, name string, depth int) (key, value *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode || depth > maxMergeDepth {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind == yaml.ScalarNode && k.Value == name && !isMergeKey(k) {
			return k, m.Content[i+1]
		}
	}
	// Keys written another way than they decode (0x10, ~, !!str 1).
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind == yaml.ScalarNode && k.Tag != "!!str" && !isMergeKey(k) && decodedKey(k) == name {
			return k, m.Content[i+1]
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMergeKey(m.Content[i]) {
			continue
		}
		src := resolve(m.Content[i+1])
		if src == nil {
			continue
		}
		switch src.Kind {
		case yaml.MappingNode:
			if k, v := lookupKey(src, name, depth+1); k != nil {
				return k, v
			}
		case yaml.SequenceNode:
			for _, item := range src.Content {
				if k, v := lookupKey(resolve(item), name, depth+1); k != nil {
					return k, v
				}
			}
		}
	}
	return nil, nil
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge"
}

// decodedKey is the string the schema sees for a scalar key node.
func decodedKey(k *yaml.Node) string {
	var v any
	if err := k.Decode(&v); err != nil {
		return k.Value
	}
	return keyString(v)
}
