package yamledit

import (
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/source"
)

// Root is the root mapping of a compose file of one block-style document, or nil.
func Root(f *source.File) *yaml.Node {
	if f == nil || f.Err != nil || len(f.Docs) != 1 || f.Docs[0].Kind != yaml.MappingNode || f.Docs[0].Style&yaml.FlowStyle != 0 {
		return nil
	}
	return f.Docs[0]
}

// Services is the block mapping of a file's own services (not anchored), or nil.
func Services(f *source.File) *yaml.Node {
	_, svcs := Lookup(Root(f), "services")
	if svcs == nil || svcs.Kind != yaml.MappingNode || svcs.Style&yaml.FlowStyle != 0 || svcs.Anchor != "" {
		return nil
	}
	return svcs
}

// Deref follows aliases to the node they name (a bounded number of times).
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// LineComment returns the comment that ends a line ("" when none).
func LineComment(line string) string {
	code := StripComment(line)
	if len(code) == len(line) {
		return ""
	}
	return strings.TrimSpace(line[len(code):])
}

// StartsLine tells whether the node at (line, col) is the first thing on its line.
func StartsLine(f *source.File, line, col int) bool {
	text := f.Line(line)
	n := 0
	for i := range text {
		if n == col-1 {
			return strings.TrimSpace(text[:i]) == ""
		}
		n++
	}
	return false
}

// Parent is where a node sits in its document: the collection that holds
// it and, for a mapping entry (key or value), its key.
type Parent struct {
	Coll, Key *yaml.Node
}

// Parents maps every node of f (aliases not followed) to its parent.
func Parents(f *source.File) map[*yaml.Node]Parent {
	out := map[*yaml.Node]Parent{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 64 || n.Kind == yaml.AliasNode {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				out[n.Content[i]] = Parent{Coll: n, Key: n.Content[i]}
				out[n.Content[i+1]] = Parent{Coll: n, Key: n.Content[i]}
				walk(n.Content[i+1], depth+1)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				out[c] = Parent{Coll: n}
				walk(c, depth+1)
			}
		}
	}
	for _, doc := range f.Docs {
		walk(doc, 0)
	}
	return out
}

// HasAnchors tells whether a subtree defines an anchor or uses an alias:
// deleting or copying it would break or change other nodes.
func HasAnchors(n *yaml.Node) bool {
	return hasAnchors(n, 0)
}

func hasAnchors(n *yaml.Node, depth int) bool {
	if n == nil {
		return false
	}
	if n.Anchor != "" || n.Kind == yaml.AliasNode || depth > 64 {
		return true
	}
	for _, c := range n.Content {
		if hasAnchors(c, depth+1) {
			return true
		}
	}
	return false
}

// Value returns the value of key name in mapping m, following aliases to m
// and from the value; nil when there is none (see Lookup).
func Value(m *yaml.Node, name string) *yaml.Node {
	_, v := Lookup(Deref(m), name)
	return Deref(v)
}

// Contains tells whether n is root or lies in its subtree (aliases are not
// followed: what an alias points at is not part of the alias's subtree).
func Contains(root, n *yaml.Node) bool {
	return containsNode(root, n, 0)
}

// maxDepth bounds walks of a node tree (the loader refuses deeper files).
const maxDepth = 1000

func containsNode(root, n *yaml.Node, depth int) bool {
	if root == n {
		return true
	}
	if root == nil || depth > maxDepth {
		return false
	}
	for _, c := range root.Content {
		if containsNode(c, n, depth+1) {
			return true
		}
	}
	return false
}
