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
