package schema

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/composelint/composelint/pkg/source"
)

const corpus = "/work/shared/corpus/real"

func TestCorpusTmp(t *testing.T) {
	fh, err := os.Open(filepath.Join(corpus, "COMPOSE_GO_STATUS.tsv"))
	if err != nil {
		t.Skip(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	checked, bad := 0, 0
	seen := map[string]bool{}
	var total time.Duration
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "workdir\t") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			continue
		}
		wd, files, cat := cols[0], strings.Split(cols[1], ","), cols[2]
		env := map[string]string{}
		if e, err := dotenv.Read(filepath.Join(corpus, wd, ".env")); err == nil {
			env = e
		}
		lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
		for _, fn := range files {
			p := filepath.Join(corpus, wd, fn)
			if seen[p+cat] {
				continue
			}
			seen[p+cat] = true
			b, err := os.ReadFile(p)
			if err != nil {
				t.Logf("read %s: %v", p, err)
				continue
			}
			f := source.ParseYAML(p, b)
			if f.Err != nil {
				t.Logf("PARSE %s [%s]: %v", p, cat, f.Err)
				continue
			}
			st := time.Now()
			vs := Validate(f, lookup)
			total += time.Since(st)
			checked++
			for _, v := range vs {
				if cat == "ok" {
					bad++
				}
				t.Logf("%s [%s] %s:%d:%d %s", cat, wd, fn, f.Span(v.Node).Start.Line, f.Span(v.Node).Start.Col, v.Message)
			}
		}
	}
	fmt.Printf("checked %d files, %d violations in ok projects, total %v\n", checked, bad, total)
}

func TestCorpusAllTmp(t *testing.T) {
	n := 0
	for _, root := range []string{"../../testdata"} {
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || !(strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
				return nil
			}
			b, _ := os.ReadFile(p)
			f := source.ParseYAML(p, b)
			vs := Validate(f, nil)
			n++
			for _, v := range vs {
				t.Logf("%s:%d:%d %s", strings.TrimPrefix(p, "/work/shared/corpus/"), f.Span(v.Node).Start.Line, f.Span(v.Node).Start.Col, v.Message)
			}
			return nil
		})
	}
	fmt.Println("files", n)
}

func TestAdvTmp(t *testing.T) {
	ms, _ := filepath.Glob("/work/shared/corpus/invalid/adversarial/*")
	for _, p := range ms {
		b, _ := os.ReadFile(p)
		f := source.ParseYAML(p, b)
		st := time.Now()
		vs := Validate(f, nil)
		fmt.Println(filepath.Base(p), f.Err != nil, len(f.Docs), len(vs), time.Since(st))
		for _, v := range vs {
			fmt.Println("   ", f.Span(v.Node).Start, v.Message)
		}
	}
}
