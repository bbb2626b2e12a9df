package source

import (
	"bytes"
	"fmt"

	yaml "go.yaml.in/yaml/v4"
)

// MaxNodes is the most YAML nodes one document may hold: compose-go's own
// limit (loader.defaultMaxNodeVisits, 100,000), so that composelint reads
// every file docker compose reads. It counts as compose-go's walk does:
// every value and sequence item, an anchored collection once however many
// aliases repeat it.
const MaxNodes = 100_000

// nodeLimitError locates where a file that pastNodeLimit refused passes the
// limit: it parses the lines up to the one the scan names (the limit lies
// within them: they hold more nodes than the scan counted), which costs the
// memory of the limit, not of the file.
func (f *File) nodeLimitError(line int) *SyntaxError {
	_, end := f.LineBounds(line)
	prefix := New(f.Path, f.Content[:end])
	dec := yaml.NewDecoder(bytes.NewReader(prefix.Content))
	for {
		var doc yaml.Node
		if dec.Decode(&doc) != nil || len(doc.Content) == 0 {
			break
		}
		if serr := checkNodes(doc.Content[0]); serr != nil {
			return serr
		}
	}
	return nodeLimit(Pos{line, 1})
}

func nodeLimit(at Pos) *SyntaxError {
	return &SyntaxError{Pos: at, Msg: fmt.Sprintf(
		"more than %d YAML nodes in one document, the most docker compose reads (compose-go's limit): split the file, or use anchors for repeated parts", MaxNodes)}
}

// checkNodes walks a document as compose-go will, and returns why it
// cannot: more nodes than MaxNodes, or an alias inside the anchor it
// refers to (an infinite document). Either is reported at its node.
func checkNodes(doc *yaml.Node) *SyntaxError {
	c := nodeCounter{done: map[*yaml.Node]bool{}, open: map[*yaml.Node]bool{}}
	c.visit(doc)
	return c.err
}

type nodeCounter struct {
	visits int
	done   map[*yaml.Node]bool // collections already walked
	open   map[*yaml.Node]bool // collections being walked: an alias to one is a cycle
	err    *SyntaxError
}

func (c *nodeCounter) visit(n *yaml.Node) {
	if c.err != nil || n == nil {
		return
	}
	if c.visits++; c.visits > MaxNodes {
		c.err = nodeLimit(Pos{n.Line, n.Column})
		return
	}
	target := n
	if n.Kind == yaml.AliasNode {
		target = n.Alias
		if target == nil {
			return
		}
		if c.open[target] {
			c.err = &SyntaxError{Pos: Pos{n.Line, n.Column}, Msg: fmt.Sprintf(
				"alias *%s is inside the anchor &%s it refers to (line %d): the document would be infinite", n.Value, target.Anchor, target.Line)}
			return
		}
	}
	if target.Kind != yaml.MappingNode && target.Kind != yaml.SequenceNode && target.Kind != yaml.DocumentNode {
		return
	}
	if c.done[target] {
		return
	}
	c.done[target] = true
	c.open[target] = true
	defer delete(c.open, target)
	for i, child := range target.Content {
		// compose-go walks a mapping's values, not its keys.
		if target.Kind == yaml.MappingNode && i%2 == 0 {
			continue
		}
		c.visit(child)
	}
}
