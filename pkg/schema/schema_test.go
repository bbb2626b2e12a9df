package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/composelint/composelint/pkg/source"
)

// got is a violation as a test states it: line:col of the node, message.
type got struct {
	pos string
	msg string
}

func check(t *testing.T, f *source.File, lookup func(string) (string, bool)) []got {
	t.Helper()
	var out []got
	for _, v := range Validate(f, lookup) {
		if v.Node == nil {
			t.Fatalf("violation %q has no node", v.Message)
		}
		if strings.ContainsAny(v.Message, "\n\r") {
			t.Errorf("message is not one line: %q", v.Message)
		}
		p := f.Span(v.Node).Start
		out = append(out, got{fmt.Sprintf("%d:%d", p.Line, p.Col), v.Message})
	}
	return out
}

func load(t testing.TB, name string) *source.File {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f := source.ParseYAML(name, b)
	if f.Err != nil {
		t.Fatalf("%s: %v", name, f.Err)
	}
	return f
}

func parse(t *testing.T, src string) *source.File {
	t.Helper()
	f := source.ParseYAML("compose.yaml", []byte(src))
	if f.Err != nil {
		t.Fatalf("parse: %v", f.Err)
	}
	return f
}

func expect(t *testing.T, gotV []got, want ...got) {
	t.Helper()
	if len(gotV) != len(want) {
		t.Fatalf("got %d violations, want %d:\n%s", len(gotV), len(want), dump(gotV))
	}
	for i := range want {
		if gotV[i] != want[i] {
			t.Errorf("violation %d:\n got  %s %s\n want %s %s", i, gotV[i].pos, gotV[i].msg, want[i].pos, want[i].msg)
		}
	}
}

func dump(vs []got) string {
	var sb strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&sb, "  %s %s\n", v.pos, v.msg)
	}
	return sb.String()
}

func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestThreeErrorsOnThreeLines(t *testing.T) {
	f := load(t, "three_errors.yml")
	expect(t, check(t, f, nil),
		got{"5:5", `services.web: additional property "wrongField" is not allowed`},
		got{"6:5", `services.web.restart: must be a string, not a list`},
		got{"9:1", `top level: additional property "unknownTopLevel" is not allowed`},
	)
}

func TestUnknownPropertyInMergedAnchor(t *testing.T) {
	// Both services merge the anchor: the key is reported once, inside it.
	f := load(t, "merge_anchor.yml")
	expect(t, check(t, f, nil),
		got{"3:3", `services.api: additional property "bogusOption" is not allowed`},
	)
}

func TestMergeSequenceAndAliasValues(t *testing.T) {
	f := parse(t, `x-a: &a
  image: a
x-b: &b
  nope: 1
x-log: &log
  driver: json-file
  wrong: 2
services:
  web:
    <<: [*a, *b]
    logging: *log
`)
	expect(t, check(t, f, nil),
		got{"4:3", `services.web: additional property "nope" is not allowed`},
		got{"7:3", `services.web.logging: additional property "wrong" is not allowed`},
	)
}

func TestValidFile(t *testing.T) {
	f := load(t, "valid.yml")
	expect(t, check(t, f, nil))
	expect(t, check(t, f, env("WEB_PORT", "80", "TAG", "1.2.3", "WORKERS", "8", "POSTGRES_PASSWORD", "s3cret")))
}

func TestShapes(t *testing.T) {
	tests := []struct {
		file string
		want []got
	}{
		{"service_string.yml", []got{{"2:3", "services.web: must be a mapping, not a string"}}},
		{"services_sequence.yml", []got{{"1:1", "services: must be a mapping, not a list"}}},
		{"null_doc.yml", nil},
		{"empty.yml", nil},
		{"multi_doc.yml", []got{
			{"10:7", "services.db.healthcheck.retries: must be a number or string, not a list"},
			{"12:1", "top level: must be a mapping, not a list"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			expect(t, check(t, load(t, tt.file), nil), tt.want...)
		})
	}
}

func TestTopLevelScalar(t *testing.T) {
	expect(t, check(t, parse(t, "just a string\n"), nil),
		got{"1:1", "top level: must be a mapping, not a string"})
}

func TestUnparsedFile(t *testing.T) {
	f := source.ParseYAML("compose.yaml", []byte("services: [\n"))
	if f.Err == nil {
		t.Fatal("expected a syntax error")
	}
	if vs := Validate(f, nil); vs != nil {
		t.Errorf("got %v for a file that does not parse", vs)
	}
	if vs := Validate(nil, nil); vs != nil {
		t.Errorf("got %v for a nil file", vs)
	}
}

func TestInterpolation(t *testing.T) {
	f := parse(t, `services:
  web:
    image: nginx
    ports: ["${PORT:-8000}:8000"]
`)
	expect(t, check(t, f, nil))
	expect(t, check(t, f, env("PORT", "9000")))

	f = load(t, "interpolated.yml")
	expect(t, check(t, f, nil))
	expect(t, check(t, f, env("PORT", "1", "RETRIES", "5", "SECRET", "x")))
}

func TestInterpolationUsesLookup(t *testing.T) {
	f := parse(t, `services:
  web:
    image: nginx
    pull_policy: ${POLICY-always}
`)
	expect(t, check(t, f, nil))
	expect(t, check(t, f, env("POLICY", "daily")))
	expect(t, check(t, f, env("POLICY", "sometimes")),
		got{"4:5", `services.web.pull_policy: "sometimes" does not match the pattern ^(always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+)$`})
}

func TestFailedInterpolationKeepsRawValue(t *testing.T) {
	// ${X:?msg} unset and a lone $ do not interpolate; the raw text is checked,
	// and the rest of the document still is.
	f := parse(t, `services:
  web:
    image: ${IMAGE:?set IMAGE}
    restart: $
    wrong: ${X}
`)
	expect(t, check(t, f, nil),
		got{"5:5", `services.web: additional property "wrong" is not allowed`})
}

func TestOneOfReportsTheClosestBranch(t *testing.T) {
	f := parse(t, `services:
  web:
    image: nginx
    ports:
      - [1]
      - target: 80
        bad: 2
      - target: 80
        protocol: [tcp]
    depends_on: 5
    dns: [a, [b]]
`)
	expect(t, check(t, f, nil),
		got{"5:9", "services.web.ports.0: must be a mapping, number or string, not a list"},
		got{"7:9", `services.web.ports.1: additional property "bad" is not allowed`},
		got{"9:9", "services.web.ports.2.protocol: must be a string, not a list"},
		got{"10:5", "services.web.depends_on: must be a list or mapping, not a number"},
		got{"11:14", "services.web.dns.1: must be a string, not a list"},
	)
}

func TestOneErrorInAServiceBranchIsNotNoise(t *testing.T) {
	// A failing attribute makes the validator treat every other attribute
	// of the service as unevaluated; only the real error is reported.
	f := parse(t, `services:
  web:
    image: nginx
    command: ["run"]
    environment: {A: b}
    volumes: [./a:/a]
    healthcheck:
      retries: [1]
    x-custom: yes
`)
	expect(t, check(t, f, nil),
		got{"8:7", "services.web.healthcheck.retries: must be a number or string, not a list"})
}

func TestEnumAndRequired(t *testing.T) {
	f := parse(t, `services:
  web:
    image: nginx
    volumes:
      - type: bogus
        target: /x
    develop:
      watch:
        - path: ./src
          action: explode
`)
	expect(t, check(t, f, nil),
		got{"5:9", `services.web.volumes.0.type: must be one of "bind", "volume", "tmpfs", "cluster", "npipe", "image", not "bogus"`},
		got{"10:11", `services.web.develop.watch.0.action: must be one of "rebuild", "sync", "restart", "sync+restart", "sync+exec", not "explode"`},
	)

	f = parse(t, `services:
  web:
    image: nginx
    volumes:
      - source: ./a
        target: /a
`)
	expect(t, check(t, f, nil),
		got{"5:9", `services.web.volumes.0: missing required property "type"`})
}

func TestDuplicateItemPointsAtTheRepeat(t *testing.T) {
	f := parse(t, `services:
  web:
    image: nginx
    dns:
      - 1.1.1.1
      - 8.8.8.8
      - 1.1.1.1
`)
	expect(t, check(t, f, nil),
		got{"7:9", "services.web.dns: item 2 duplicates item 0; items must be unique"})
}

func TestResetEntriesAreDropped(t *testing.T) {
	f := parse(t, `services:
  web:
    image: nginx
    healthcheck: !reset null
    dns:
      - !reset 1.1.1.1
      - [8.8.8.8]
`)
	expect(t, check(t, f, nil),
		got{"7:9", "services.web.dns.0: must be a string, not a list"})
}

func TestVersionIsLeftToItsOwnRule(t *testing.T) {
	expect(t, check(t, parse(t, "version: 3.8\nservices: {web: {image: nginx}}\n"), nil))
	expect(t, check(t, parse(t, "version: '3.8'\nservices: {web: {image: nginx}}\n"), nil))
}

func TestOddScalarsAndKeys(t *testing.T) {
	f := parse(t, `services:
  web:
    image: nginx
    cpus: .nan
    mem_limit: .inf
    labels:
      1: a
      true: b
      ~: c
      2001-01-01: d
      0x10: e
    x-when: 2001-12-14
    x-blob: !!binary aGVsbG8=
    sysctls:
      0x10: [1]
`)
	expect(t, check(t, f, nil),
		got{"15:7", "services.web.sysctls.16: must be a boolean, null, number or string, not a list"})
}

func TestDocumentsThatDoNotDecode(t *testing.T) {
	for name, src := range map[string]string{
		"self alias":   "x-a: &a [*a]\nservices: {}\n",
		"complex key":  "services:\n  ? [a, b]\n  : {image: x}\n",
		"null service": "services:\n  web:\n",
	} {
		t.Run(name, func(t *testing.T) {
			f := source.ParseYAML("compose.yaml", []byte(src))
			if f.Err != nil {
				return
			}
			_ = check(t, f, nil)
		})
	}
}

func TestAliasBomb(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("x-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&sb, "x-%d: &a%d [", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "*a%d", i-1)
		}
		sb.WriteString("]\n")
	}
	sb.WriteString("services:\n  web:\n    command: *a9\n")
	f := source.ParseYAML("compose.yaml", []byte(sb.String()))
	if f.Err != nil {
		return
	}
	start := time.Now()
	vs := Validate(f, nil)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("alias bomb took %v", d)
	}
	if len(vs) != 0 {
		t.Errorf("got %d violations for a document that does not decode", len(vs))
	}
}

func TestDeepNesting(t *testing.T) {
	const depth = 5000
	src := "services:\n  web:\n    image: nginx\n    command: " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n"
	f := source.ParseYAML("compose.yaml", []byte(src))
	if f.Err != nil {
		t.Skipf("parser refuses the nesting: %v", f.Err)
	}
	expect(t, check(t, f, nil),
		got{"4:15", "services.web.command.0: must be a string, not a list"})
}

func TestLargeFile(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("services:\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&sb, "  s%d:\n    image: nginx\n    ports: [\"%d:80\"]\n", i, 10000+i)
	}
	sb.WriteString("  bad:\n    image: [x]\n")
	f := parse(t, sb.String())
	vs := check(t, f, nil)
	expect(t, vs, got{"6003:5", "services.bad.image: must be a string, not a list"})
}

func TestConcurrentUse(t *testing.T) {
	files := []*source.File{load(t, "three_errors.yml"), load(t, "valid.yml"), load(t, "merge_anchor.yml")}
	want := make([]int, len(files))
	for i, f := range files {
		want[i] = len(Validate(f, nil))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, f := range files {
				if n := len(Validate(f, nil)); n != want[i] {
					t.Errorf("%s: got %d violations, want %d", f.Path, n, want[i])
				}
			}
		}()
	}
	wg.Wait()
}

func TestSortedInDocumentOrder(t *testing.T) {
	f := load(t, "multi_doc.yml")
	vs := Validate(f, nil)
	for i := 1; i < len(vs); i++ {
		a, b := vs[i-1].Node, vs[i].Node
		if a.Line > b.Line || (a.Line == b.Line && a.Column > b.Column) {
			t.Errorf("violations out of order: %d:%d before %d:%d", a.Line, a.Column, b.Line, b.Column)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yml"))
	if err != nil || len(files) == 0 {
		b.Fatal("no testdata")
	}
	if _, err := compiled(); err != nil {
		b.Fatal(err)
	}
	lookup := env("PORT", "9000")
	for _, name := range files {
		f := load(b, filepath.Base(name))
		b.Run(filepath.Base(name), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Validate(f, lookup)
			}
		})
	}
}
