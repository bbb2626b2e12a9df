package ciscript

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

func TestComposeRunCommand(t *testing.T) {
	for in, want := range map[string]string{
		"docker compose -f docker-compose.yml run --rm -e X=1 web ./docker/ci.sh": "web: ./docker/ci.sh",
		"docker-compose exec -T web python manage.py check --deploy":              "web: python manage.py check --deploy",
		"docker compose --progress=plain run web":                                 "web: ",
		"docker compose build":   ": ",
		"python manage.py check": ": python manage.py check",
	} {
		cmd, svc := composeRunCommand(strings.Fields(in))
		if got := svc + ": " + strings.Join(cmd, " "); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestShellCommands(t *testing.T) {
	src := "#!/bin/sh\nset -e\nexport DJANGO_ENV=production\nDEBUG=0 python manage.py check --deploy\nenv A=1 exec \"pytest\" '-q'\n"
	f := source.New("/p/ci.sh", []byte(src))
	var got []string
	for _, c := range ShellCommands(f, src, 1, nil) {
		got = append(got, strings.Join(c.Words, " ")+" @"+string(rune('0'+c.Line))+" DJANGO_ENV="+c.Env["DJANGO_ENV"]+" DEBUG="+c.Env["DEBUG"]+" A="+c.Env["A"])
	}
	want := []string{
		"set -e @2 DJANGO_ENV= DEBUG= A=",
		"python manage.py check --deploy @4 DJANGO_ENV=production DEBUG=0 A=",
		"pytest -q @5 DJANGO_ENV=production DEBUG= A=1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("commands:\n%q\nwant\n%q", got, want)
	}
}

// TestEntries reads a GitLab config that runs a script of the project in a
// service, and a command directly, with the job's variables.
func TestEntries(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".gitlab-ci.yml", "test:\n  variables:\n    DJANGO_ENV: ci\n  script:\n    - docker compose run --rm web sh ./docker/ci.sh\n    - python manage.py check\n")
	write("docker/ci.sh", "#!/bin/sh\nsh ./docker/lint.sh\npytest\n")
	write("docker/lint.sh", "#!/bin/sh\nflake8 .\n")
	proj := &lint.Project{Dir: dir, ReadFile: func(p string) (*source.File, error) {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		return source.New(p, b), nil
	}}
	entries, direct := Entries(proj)
	if len(entries) != 1 || entries[0].Service != "web" || entries[0].Line != 5 || filepath.Base(entries[0].Script.Path) != "ci.sh" {
		t.Fatalf("entries = %+v", entries)
	}
	if len(direct) != 1 || strings.Join(direct[0].Words, " ") != "python manage.py check" || direct[0].Env["DJANGO_ENV"] != "ci" {
		t.Errorf("direct = %+v", direct)
	}
	var words []string
	for _, c := range ScriptCommands(proj, entries[0].Script) {
		words = append(words, strings.Join(c.Words, " "))
	}
	if want := []string{"flake8 .", "pytest"}; !reflect.DeepEqual(words, want) {
		t.Errorf("script commands = %q, want %q (lint.sh read in place)", words, want)
	}
}
