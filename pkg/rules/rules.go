// Package rules holds composelint's rules, one file per rule, named after its ID.
package rules

import (
	"sort"

	"github.com/composelint/composelint/pkg/lint"
)

var registry []*lint.Rule

// register adds a rule; each rule file calls it from init.
func register(r *lint.Rule) *lint.Rule {
	registry = append(registry, r)
	return r
}

// All returns every rule, sorted by ID.
func All() []*lint.Rule {
	out := append([]*lint.Rule(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
