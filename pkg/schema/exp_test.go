package schema

import (
	"fmt"
	"testing"

	"github.com/composelint/composelint/pkg/source"
)

func TestExp(t *testing.T) {
	f := source.ParseYAML("x.yml", []byte("a: &a {x: 1}\nb:\n  <<: *a\n  \"<<\": 2\n  0x10: 3\n  !reset y: 4\n"))
	b := f.Docs[0].Content[3]
	for _, k := range b.Content {
		fmt.Printf("%q tag=%q style=%v kind=%v\n", k.Value, k.Tag, k.Style, k.Kind)
	}
}
