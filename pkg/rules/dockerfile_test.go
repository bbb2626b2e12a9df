package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseDockerfile(t *testing.T) {
	df := []byte("# syntax=docker/dockerfile:1\nFROM --platform=linux/amd64 python:3.12-slim AS base\n" +
		"# a comment\nCOPY x \\\n  # inside a continuation\n  y /z/\nRUN b\n" +
		"FROM base AS app\nCMD [\"gunicorn\"]\nFROM caddy:2.8 AS proxy\nfrom app\nworkdir /code\n")
	stages := parseDockerfile(df)
	want := []dockerStage{
		{Name: "base", From: "python:3.12-slim", Instrs: []dockerInstr{{"COPY", "x  y /z/"}, {"RUN", "b"}}},
		{Name: "app", From: "base", Instrs: []dockerInstr{{"CMD", `["gunicorn"]`}}},
		{Name: "proxy", From: "caddy:2.8"},
		{From: "app", Instrs: []dockerInstr{{"WORKDIR", "/code"}}},
	}
	if diff := cmp.Diff(want, stages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	names := func(chain []dockerStage) (out []string) {
		for _, s := range chain {
			out = append(out, s.From)
		}
		return out
	}
	if diff := cmp.Diff([]string{"python:3.12-slim", "base", "app"}, names(stageChain(stages, ""))); diff != "" {
		t.Errorf("chain of the last stage (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"caddy:2.8"}, names(stageChain(stages, "proxy"))); diff != "" {
		t.Errorf("chain of the proxy target (-want +got):\n%s", diff)
	}
}
