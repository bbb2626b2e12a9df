// Command corpusbench times linting a corpus of Compose projects in one
// process, against compose-go alone loading the same projects.
//
//	go run ./scripts/corpusbench ../shared/corpus/real/PROJECTS.tsv
//
// PROJECTS.tsv: one project a line, its directory then its -f files.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/rules"
)

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the composelint part")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: corpusbench [-cpuprofile FILE] PROJECTS.tsv")
		os.Exit(2)
	}
	tsv := flag.Arg(0)
	root := filepath.Dir(tsv)
	f, err := os.Open(tsv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var projects [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 || strings.HasPrefix(cols[0], "#") || cols[0] == "workdir" {
			continue
		}
		var files []string
		for _, c := range cols[1:] {
			if c != "" {
				files = append(files, filepath.Join(root, cols[0], c))
			}
		}
		projects = append(projects, files)
	}

	eng := &lint.Engine{Rules: rules.All()}
	if *cpuprofile != "" {
		out, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		pprof.StartCPUProfile(out)
	}
	start := time.Now()
	findings, failed := 0, 0
	for _, files := range projects {
		targets, err := project.Resolve(nil, project.Options{Files: files, Rule: eng.Rule})
		if err != nil {
			failed++
			continue
		}
		p, err := targets[0].Load()
		if err != nil {
			failed++
			continue
		}
		findings += len(eng.Run(p))
	}
	ours := time.Since(start)
	pprof.StopCPUProfile()

	start = time.Now()
	loadErrors := 0
	for _, files := range projects {
		opts, err := cli.NewProjectOptions(files, cli.WithWorkingDirectory(filepath.Dir(files[0])),
			cli.WithDotEnv, cli.WithProfiles([]string{"*"}), cli.WithName("bench"))
		if err == nil {
			_, err = opts.LoadProject(context.Background())
		}
		if err != nil {
			loadErrors++
		}
	}
	composeGo := time.Since(start)
	fmt.Printf("%d projects: composelint %.2f s (%d findings, %d not lintable); compose-go load alone %.2f s (%d refused)\n",
		len(projects), ours.Seconds(), findings, failed, composeGo.Seconds(), loadErrors)
}
