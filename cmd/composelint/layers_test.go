package main

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLayers keeps the dependency direction README's Development section
// draws: each package imports only packages listed below it there.
func TestLayers(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)### The house\n.*?```\n(.*?)```").FindSubmatch(readme)
	if block == nil {
		t.Fatal("README.md has no house block")
	}
	rank := map[string]int{} // import path → position in the list (0 at the top)
	const module = "github.com/composelint/composelint/"
	for i, line := range strings.Split(string(block[1]), "\n") {
		for _, f := range strings.Fields(strings.SplitN(line+"  ", "  ", 2)[0]) {
			name := strings.TrimSuffix(f, ",")
			if strings.HasPrefix(name, "pkg/") || strings.HasPrefix(name, "cmd/") {
				rank[module+name] = i
			}
		}
	}
	dirs, _ := filepath.Glob("../../pkg/*")
	dirs = append(dirs, "../../cmd/composelint")
	for _, dir := range dirs {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			continue // not a Go package
		}
		self := module + strings.TrimPrefix(filepath.ToSlash(dir), "../../")
		r, ok := rank[self]
		if !ok {
			t.Errorf("%s is not in README's house block", self)
			continue
		}
		for _, imp := range pkg.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			if ri, ok := rank[imp]; !ok || ri <= r && imp != self {
				t.Errorf("%s imports %s, which is not listed below it in README's house block", self, imp)
			}
		}
	}
}

// maxFuncLines is the house's limit: a function a reader sees whole.
const maxFuncLines = 100

// TestNoLongFunctions keeps every function of the module, tests included,
// within maxFuncLines (tools/ are modules of their own).
func TestNoLongFunctions(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "../.." && (d.Name() == "tools" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1; n > maxFuncLines {
				t.Errorf("%s: %s is %d lines long (at most %d)", strings.TrimPrefix(path, "../../"), fn.Name.Name, n, maxFuncLines)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
