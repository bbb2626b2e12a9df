// caddycheck reads every Caddyfile below the paths it is given with Caddy's
// parser and with composelint's, and fails when they disagree:
//
//	cd tools/caddycheck && go run . ../../testdata /work/shared/corpus
//
// A file is a Caddyfile when it is named Caddyfile, Caddyfile.*, *.caddyfile
// or *.caddy; Caddy's own adapter tests (*.caddyfiletest, the Caddyfile
// before the "----------" line) count too. Paths that do not exist are
// skipped, so the same command runs where ../shared is absent.
//
// With -golden, it instead records Caddy's reading of each Caddyfile below
// the paths in FILE.json, for pkg/caddyfile's tests:
//
//	go run . -golden ../../pkg/caddyfile/testdata
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	// Caddy expands {$VAR} from the process environment: an empty one makes
	// both parsers see the placeholders' defaults.
	os.Clearenv()
	golden := flag.Bool("golden", false, "write Caddy's reading of each Caddyfile to FILE.json")
	flag.Parse()
	files, failed := 0, 0
	for _, root := range flag.Args() {
		if _, err := os.Stat(root); err != nil {
			fmt.Printf("skip %s: %v\n", root, err)
			continue
		}
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == ".git" || d.Name() == "node_modules" {
					return filepath.SkipDir
				}
				return nil
			}
			src, ok := caddyfileContent(path)
			if !ok {
				return nil
			}
			files++
			if *golden {
				return writeGolden(path, src)
			}
			if diff := compare(path, src); diff != "" {
				failed++
				fmt.Printf("DIFF %s: %s\n", path, diff)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	fmt.Printf("%d Caddyfiles, %d agree, %d differ\n", files, files-failed, failed)
	if failed > 0 || files == 0 {
		os.Exit(1)
	}
}

// caddyfileContent reads path when it is a Caddyfile.
func caddyfileContent(path string) ([]byte, bool) {
	name := strings.ToLower(filepath.Base(path))
	test := strings.HasSuffix(name, ".caddyfiletest")
	if !test && name != "caddyfile" && !strings.HasPrefix(name, "caddyfile.") &&
		!strings.HasSuffix(name, ".caddyfile") && !strings.HasSuffix(name, ".caddy") {
		return nil, false
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	if test {
		if i := bytes.Index(src, []byte("\n----------")); i >= 0 {
			src = src[:i+1]
		}
	}
	return src, true
}
