package move

import (
	"bytes"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
)

// canon maps the parses of a file that other environments hold onto the one
// a plan edits. Environments of one lint may hold different parses of the
// same bytes (the language server takes an unchanged environment from the
// cache of an earlier lint), and plans compare files and nodes by pointer.
type canon struct {
	files map[string]*source.File // by path: the parse plans use
	nodes map[*yaml.Node]*yaml.Node
	seen  map[*source.File]bool // parses mapped already
}

// newCanon makes the parses of env the ones plans use.
func newCanon(env *load.Result) *canon {
	c := &canon{files: map[string]*source.File{}, nodes: map[*yaml.Node]*yaml.Node{}, seen: map[*source.File]bool{}}
	for _, f := range env.Files {
		c.files[f.Path] = f
		c.seen[f] = true
	}
	return c
}

// file returns the parse plans use of f's path, mapping f's nodes onto it
// the first time; f itself when no other parse of the same bytes is known.
func (c *canon) file(f *source.File) *source.File {
	if f == nil {
		return nil
	}
	main, ok := c.files[f.Path]
	if !ok {
		c.files[f.Path], c.seen[f] = f, true
		return f
	}
	if main == f || !bytes.Equal(main.Content, f.Content) || len(main.Docs) != len(f.Docs) {
		return main
	}
	if !c.seen[f] {
		c.seen[f] = true
		for i := range f.Docs {
			c.walk(f.Docs[i], main.Docs[i])
		}
	}
	return main
}

// walk maps the nodes of one tree onto those of an equal tree.
func (c *canon) walk(from, to *yaml.Node) {
	if from == nil || to == nil || len(from.Content) != len(to.Content) {
		return
	}
	c.nodes[from] = to
	for i := range from.Content {
		c.walk(from.Content[i], to.Content[i])
	}
}

// node returns the node plans use for n.
func (c *canon) node(n *yaml.Node) *yaml.Node {
	if m, ok := c.nodes[n]; ok {
		return m
	}
	return n
}

// defs returns env's definitions at path, in the parses plans use.
func (c *canon) defs(env *load.Result, path index.Path) []index.Def {
	defs := env.Index.Defs(path)
	out := make([]index.Def, len(defs))
	for i, d := range defs {
		d.File = c.file(d.File)
		d.Key, d.Value = c.node(d.Key), c.node(d.Value)
		out[i] = d
	}
	return out
}

// filesOf returns env's files in the parses plans use.
func (c *canon) filesOf(env *load.Result) []*source.File {
	out := make([]*source.File, len(env.Files))
	for i, f := range env.Files {
		out[i] = c.file(f)
	}
	return out
}
