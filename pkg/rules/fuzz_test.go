package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/composelint/composelint/pkg/fix"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/rules"
	"github.com/composelint/composelint/pkg/source"
)

// FuzzRules lints arbitrary base and production files with every rule and
// applies every fix, unsafe ones too: nothing may crash or hang, every
// finding points into its file, and what the fixes leave still parses.
func FuzzRules(f *testing.F) {
	wemake, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "wemake", "2026-08-07_e922ccf3", "docker-compose.yml"))
	wemakeProd, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "wemake", "2026-08-07_e922ccf3", "docker", "docker-compose.prod.yml"))
	f.Add(wemake, wemakeProd)
	f.Add([]byte("version: '3'\nservices:\n  db:\n    image: postgres\n  web:\n    image: app\n    depends_on: [db]\n    environment:\n      DATABASE_URL: postgres://u:p@db/app\nvolumes:\n  unused:\n"),
		[]byte("services:\n  caddy:\n    image: caddy:2\n    volumes:\n      - static:/srv/static\n  web:\n    deploy:\n      replicas: 3\n    command: sh -c 'python manage.py migrate && gunicorn app'\n    volumes:\n      - static:/app/static\nvolumes:\n  static:\n"))
	eng := &lint.Engine{Rules: rules.All()}
	f.Fuzz(func(t *testing.T, base, prod []byte) {
		if len(base)+len(prod) > 1<<14 {
			return
		}
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "docker"), 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "docker-compose.yml"), base, 0o644)
		os.WriteFile(filepath.Join(dir, "docker", "docker-compose.prod.yml"), prod, 0o644)
		_, ds, err := linter(eng, dir)(nil)
		if err != nil {
			return // not a project composelint can lint: a usage error, exit 2
		}
		for _, d := range ds {
			if d.Range.Start.Line < 1 || d.Range.Start.Line > max(d.File.Lines(), 1) || d.Range.Start.Col < 1 {
				t.Fatalf("%s at %d:%d of a %d-line file", d.Rule, d.Range.Start.Line, d.Range.Start.Col, d.File.Lines())
			}
		}
		res, err := fix.Run(linter(eng, dir), fix.Options{Unsafe: true})
		if err != nil {
			return
		}
		for path, content := range res.Fixed {
			if before := res.Original[path]; before != nil && source.ParseYAML(path, before).Err == nil {
				if g := source.ParseYAML(path, content); g.Err != nil {
					t.Fatalf("fixing %s left it unparsable: %v", path, g.Err)
				}
			}
		}
	})
}
