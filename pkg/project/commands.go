package project

import (
	"path/filepath"
	"strings"
)

// taskFiles are where projects write the commands they run: a task runner's
// file names `docker compose -f …` as the project means it to be run.
var taskFiles = []string{"Makefile", "makefile", "GNUmakefile", "Taskfile.yml", "Taskfile.yaml", "taskfile.yml",
	"justfile", "Justfile", "package.json"}

// runsAlone reads the project's task files, in dir and in the directory of
// path, for `docker compose -f` commands: alone when one names path and not
// base, and none names both (`-f docker-compose.dev.yml up` starts the
// development services without the base file's). Files are compared by
// name, as a task may run in another directory (Taskfile's `dir: docker`).
func (fs files) runsAlone(dir, path, base string) bool {
	dirs := []string{dir}
	if d := filepath.Dir(path); d != dir {
		dirs = append(dirs, d)
	}
	alone := false
	for _, d := range dirs {
		for _, name := range taskFiles {
			src, err := fs.read(filepath.Join(d, name))
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(src), "\n") {
				named := composeFileArgs(line)
				switch {
				case named[filepath.Base(path)] && named[filepath.Base(base)]:
					return false
				case named[filepath.Base(path)]:
					alone = true
				}
			}
		}
	}
	return alone
}

// composeFileArgs returns the names of the files a `compose` command line
// passes with -f or --file, none for any other line.
func composeFileArgs(line string) map[string]bool {
	if !strings.Contains(line, "compose") {
		return nil
	}
	words := strings.Fields(strings.NewReplacer(`"`, " ", `'`, " ", "`", " ", ",", " ").Replace(line))
	named := map[string]bool{}
	for i, w := range words {
		var arg string
		switch {
		case (w == "-f" || w == "--file") && i+1 < len(words):
			arg = words[i+1]
		case strings.HasPrefix(w, "--file="):
			arg = strings.TrimPrefix(w, "--file=")
		default:
			continue
		}
		named[filepath.Base(arg)] = true
	}
	return named
}
