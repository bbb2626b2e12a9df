package dockerfile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	df := []byte("# syntax=docker/dockerfile:1\nFROM --platform=linux/amd64 python:3.12-slim AS base\n" +
		"# a comment\nCOPY x \\\n  # inside a continuation\n  y /z/\nRUN b\n" +
		"FROM base AS app\nCMD [\"gunicorn\"]\nFROM caddy:2.8 AS proxy\nfrom app\nworkdir /code\n")
	stages := Parse(df)
	want := []Stage{
		{Name: "base", From: "python:3.12-slim", Line: 2, Instrs: []Instruction{{"COPY", "x  y /z/", 4}, {"RUN", "b", 7}}},
		{Name: "app", From: "base", Line: 8, Instrs: []Instruction{{"CMD", `["gunicorn"]`, 9}}},
		{Name: "proxy", From: "caddy:2.8", Line: 10},
		{From: "app", Line: 11, Instrs: []Instruction{{"WORKDIR", "/code", 12}}},
	}
	if diff := cmp.Diff(want, stages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	names := func(chain []Stage) (out []string) {
		for _, s := range chain {
			out = append(out, s.From)
		}
		return out
	}
	if diff := cmp.Diff([]string{"python:3.12-slim", "base", "app"}, names(Chain(stages, ""))); diff != "" {
		t.Errorf("chain of the last stage (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"caddy:2.8"}, names(Chain(stages, "proxy"))); diff != "" {
		t.Errorf("chain of the proxy target (-want +got):\n%s", diff)
	}
}

// A heredoc's body is the instruction's input, not instructions.
func TestParseHeredoc(t *testing.T) {
	df := []byte("FROM alpine\nRUN <<EOF\nCOPY is not an instruction here\nEOF\nCOPY <<-\"CONF\" /etc/app.conf\n  FROM x\n  CONF\nWORKDIR /app\n")
	got := Parse(df)
	if len(got) != 1 {
		t.Fatalf("%d stages, want 1: %+v", len(got), got)
	}
	want := []Instruction{{"RUN", "<<EOF", 2}, {"COPY", `<<-"CONF" /etc/app.conf`, 5}, {"WORKDIR", "/app", 8}}
	if diff := cmp.Diff(want, got[0].Instrs); diff != "" {
		t.Errorf("instructions (-want +got):\n%s", diff)
	}
}

func TestWords(t *testing.T) {
	for _, c := range []struct {
		args string
		want []string
	}{
		{`["caddy", "run", "--config", "/etc/caddy/Caddyfile"]`, []string{"caddy", "run", "--config", "/etc/caddy/Caddyfile"}},
		{"--chown=app  . /code/", []string{"--chown=app", ".", "/code/"}},
		{`["broken", /x]`, []string{`["broken",`, "/x]"}}, // not JSON: the shell form, as Docker reads it
	} {
		if diff := cmp.Diff(c.want, Instruction{Args: c.args}.Words()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.args, diff)
		}
	}
}

func TestLayout(t *testing.T) {
	ctx := "/ctx"
	chain := Parse([]byte("FROM python\nWORKDIR /code\nCOPY --chown=app . .\nCOPY --from=build /out /bin/\nWORKDIR sub\nCOPY a.sh b.sh scripts/\n"))
	l := ReadLayout(chain, ctx)
	want := Layout{Workdir: "/code/sub", Copies: []Copy{
		{Srcs: []string{"/ctx"}, Dest: "/code/"},
		{Srcs: []string{"/ctx/a.sh", "/ctx/b.sh"}, Dest: "/code/sub/scripts/"},
	}}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
}
