package pysettings

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestRead(t *testing.T) {
	src := `"""Docstring: SECURE_SSL_REDIRECT = False is no assignment."""
from .base import *  # noqa
import os

DEBUG = False
SECURE_HSTS_SECONDS = 31_536_000  # a year
SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
SECURE_SSL_REDIRECT: bool = env.bool(
    "DJANGO_SECURE_SSL_REDIRECT",
    default=True,
)
A = B = "x" 'y'
NAME = f"{DEBUG}"
ALLOWED = [config('DOMAIN_NAME'), "localhost"]
COMPUTED = 1 + 2; AFTER = None
LONG = \
    True
if os.environ.get("CI"):
    SESSION_COOKIE_SECURE = False
else:
    SESSION_COOKIE_SECURE = True

def helper():
    CSRF_COOKIE_SECURE = False

class Inner:
    X = 1
R = r'\d+'
`
	m := Read([]byte(src))
	type got struct {
		Name, Star  string
		Kind        Kind
		Line, Col   int
		Conditional bool
	}
	var out []got
	for _, s := range m.Stmts {
		out = append(out, got{s.Name, s.StarImport, s.Value.Kind, s.Line, s.Col, s.Conditional})
	}
	want := []got{
		{"", ".base", Unknown, 2, 1, false},
		{"DEBUG", "", Bool, 5, 1, false},
		{"SECURE_HSTS_SECONDS", "", Int, 6, 1, false},
		{"SECURE_PROXY_SSL_HEADER", "", Seq, 7, 1, false},
		{"SECURE_SSL_REDIRECT", "", Call, 8, 1, false},
		{"A", "", Str, 12, 1, false},
		{"B", "", Str, 12, 5, false},
		{"NAME", "", Unknown, 13, 1, false},
		{"ALLOWED", "", Seq, 14, 1, false},
		{"COMPUTED", "", Unknown, 15, 1, false},
		{"AFTER", "", None, 15, 19, false},
		{"LONG", "", Bool, 16, 1, false},
		{"SESSION_COOKIE_SECURE", "", Bool, 19, 5, true},
		{"SESSION_COOKIE_SECURE", "", Bool, 21, 5, true},
		{"R", "", Str, 28, 1, false},
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	v, _ := m.Last("SECURE_SSL_REDIRECT")
	wantCall := Value{Kind: Call, Func: "env.bool", Items: []Value{{Kind: Str, Str: "DJANGO_SECURE_SSL_REDIRECT", Text: `"DJANGO_SECURE_SSL_REDIRECT"`}},
		Kwargs: map[string]Value{"default": {Kind: Bool, Bool: true, Text: "True"}}}
	if diff := cmp.Diff(wantCall, v.Value, cmpopts.IgnoreFields(Value{}, "Text")); diff != "" {
		t.Errorf("SECURE_SSL_REDIRECT (-want +got):\n%s", diff)
	}
	if v, _ := m.Last("SECURE_HSTS_SECONDS"); v.Value.Int != 31536000 {
		t.Errorf("SECURE_HSTS_SECONDS = %d", v.Value.Int)
	}
	if v, _ := m.Last("A"); v.Value.Str != "xy" {
		t.Errorf("A = %q, want adjacent strings joined", v.Value.Str)
	}
	if v, _ := m.Last("R"); v.Value.Str != `\d+` {
		t.Errorf("R = %q, want the raw string", v.Value.Str)
	}
}

// The wemake-django-template's production settings (MIT, the repository's
// testdata/wemake-history/SOURCES.md):
// every setting the https-inconsistent rule asks about is read.
func TestReadTemplate(t *testing.T) {
	b, err := os.ReadFile("../../testdata/wemake-history/2026-08-07_e922ccf3/server/settings/environments/production.py")
	if err != nil {
		t.Fatal(err)
	}
	m := Read(b)
	for name, line := range map[string]int{"SECURE_HSTS_SECONDS": 68, "SECURE_PROXY_SSL_HEADER": 72, "SECURE_SSL_REDIRECT": 73,
		"SESSION_COOKIE_SECURE": 79, "CSRF_COOKIE_SECURE": 80, "DEBUG": 16, "STATIC_ROOT": 37} {
		s, ok := m.Last(name)
		if !ok || s.Line != line || s.Conditional {
			t.Errorf("%s: got %+v, want line %d", name, s, line)
		}
	}
	if s, _ := m.Last("SECURE_SSL_REDIRECT"); s.Value.Kind != Bool || !s.Value.Bool {
		t.Errorf("SECURE_SSL_REDIRECT = %+v", s.Value)
	}
}

func TestReadNeverPanics(t *testing.T) {
	for _, src := range []string{"", "x =", "= 1", "x = (", "x = 'unterminated", `x = """open`, "x = f(", "x = [1,", "\\", "x = -", "@", "if", "x = (1)(2)"} {
		Read([]byte(src))
	}
}
