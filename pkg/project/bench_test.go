package project_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/rules"
)

// corpusProjects lists the real projects copied into testdata/corpus
// (PROJECTS.tsv: workdir, then the -f files), plus the example project.
func corpusProjects(b *testing.B) []project.Options {
	root := filepath.Join("..", "..", "testdata")
	out := []project.Options{}
	data, err := os.ReadFile(filepath.Join(root, "corpus", "PROJECTS.tsv"))
	if err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			cols := strings.Fields(line)
			if len(cols) < 2 || strings.HasPrefix(line, "#") || cols[0] == "workdir" {
				continue
			}
			var files []string
			for _, f := range cols[1:] {
				files = append(files, filepath.Join(root, "corpus", cols[0], f))
			}
			out = append(out, project.Options{Files: files})
		}
	}
	if len(out) == 0 {
		b.Fatal("no projects in testdata/corpus/PROJECTS.tsv")
	}
	return out
}

// BenchmarkLintCorpus lints every project of testdata/corpus once per
// iteration, as the command line does: resolve, read, load, run every rule.
func BenchmarkLintCorpus(b *testing.B) {
	projects := corpusProjects(b)
	eng := &lint.Engine{Rules: rules.All()}
	b.ReportAllocs()
	for b.Loop() {
		for _, opts := range projects {
			opts.Rule = eng.Rule
			targets, err := project.Resolve(nil, opts)
			if err != nil {
				b.Fatal(err)
			}
			for _, t := range targets {
				p, err := t.Load()
				if err != nil {
					b.Fatal(err)
				}
				eng.Run(p)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(projects)), "µs/project")
}

// BenchmarkWemake splits the lint of the wemake-django-template project (a
// base file, its override and a production file: two environments) into
// its parts: "load" resolves the project and loads both environments
// through compose-go and the index; "rules" runs every rule over the loaded
// project.
func BenchmarkWemake(b *testing.B) {
	dir := filepath.Join("..", "..", "testdata", "wemake", "2026-08-07_e922ccf3")
	eng := &lint.Engine{Rules: rules.All()}
	load := func() (*project.Target, *lint.Project) {
		targets, err := project.Resolve([]string{dir}, project.Options{Rule: eng.Rule})
		if err != nil {
			b.Fatal(err)
		}
		p, err := targets[0].Load()
		if err != nil {
			b.Fatal(err)
		}
		return targets[0], p
	}
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			load()
		}
	})
	b.Run("rules", func(b *testing.B) {
		t, p := load()
		b.ReportAllocs()
		for b.Loop() {
			t.Run(eng, p)
		}
	})
}
