package main

import (
	"slices"

	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/report"
)

// decided is what project discovery decided, gathered over the units, for
// the report's summary: the environments linted and the notes.
type decided struct {
	envs  []report.Environment
	notes []report.Note
}

func decidedBy(t *project.Target) decided {
	var d decided
	for _, e := range t.Envs {
		d.envs = append(d.envs, report.Environment{Name: e.Name, Files: e.Files})
	}
	for _, n := range t.Notes {
		d.notes = append(d.notes, report.Note(n))
	}
	return d
}

// merge adds what o decided, each environment and note once.
func (d *decided) merge(o decided) {
	for _, env := range o.envs {
		if !slices.ContainsFunc(d.envs, func(x report.Environment) bool {
			return x.Name == env.Name && slices.Equal(x.Files, env.Files)
		}) {
			d.envs = append(d.envs, env)
		}
	}
	for _, n := range o.notes {
		if !slices.Contains(d.notes, n) {
			d.notes = append(d.notes, n)
		}
	}
}

// names are the environment names linted, each once.
func (d *decided) names() []string {
	var out []string
	for _, e := range d.envs {
		if !slices.Contains(out, e.Name) {
			out = append(out, e.Name)
		}
	}
	return out
}
