package yamledit

import (
	"testing"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

const doc = `services:
  # the database
  # (development only)
  db:
    image: postgres:17
    volumes:
    - pg:/var/lib/postgresql/data

  web:
    image: app
    volumes:
      - static:/static  # shared
      - type: volume
        source: media
        target: /media
    depends_on: [db]
volumes:
  pg:
  static:
  media:
`

// find returns the key node named key under the mapping at path.
func find(t *testing.T, f *source.File, path ...string) (key, value *yaml.Node) {
	t.Helper()
	n := f.Docs[0]
	for _, p := range path {
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == p {
				key, n, found = n.Content[i], n.Content[i+1], true
				break
			}
		}
		if !found {
			t.Fatalf("no %v", path)
		}
	}
	return key, n
}

func applyEdit(f *source.File, e lint.TextEdit) string {
	return string(f.Content[:e.Start]) + e.NewText + string(f.Content[e.End:])
}

func TestEntryLines(t *testing.T) {
	f := source.ParseYAML("x.yml", []byte(doc))
	db, _ := find(t, f, "services", "db")
	if first, last := KeyLines(f, db, true); first != 2 || last != 7 {
		t.Errorf("db with comments: lines %d-%d, want 2-7 (dash at the key's indentation belongs to it)", first, last)
	}
	if first, last := KeyLines(f, db, false); first != 4 || last != 7 {
		t.Errorf("db: lines %d-%d, want 4-7", first, last)
	}
	_, vols := find(t, f, "services", "web", "volumes")
	if first, last := ItemLines(f, vols.Content[1], false); first != 13 || last != 15 {
		t.Errorf("long-syntax item: lines %d-%d, want 13-15", first, last)
	}
	web, _ := find(t, f, "services", "web")
	if _, last := KeyLines(f, web, false); last != 16 {
		t.Errorf("web ends at %d, want 16", last)
	}
}

func TestDeleteAndAppend(t *testing.T) {
	f := source.ParseYAML("x.yml", []byte(doc))
	db, _ := find(t, f, "services", "db")
	got := applyEdit(f, DeleteKey(f, db, true))
	want := "services:\n\n  web:\n"
	if got[:len(want)] != want {
		t.Errorf("after deleting db:\n%s", got)
	}
	_, vols := find(t, f, "services", "web", "volumes")
	got = applyEdit(f, AppendItem(f, vols, "extra:/extra:ro"))
	if want := "        target: /media\n      - extra:/extra:ro\n    depends_on"; !contains(got, want) {
		t.Errorf("after appending an item:\n%s", got)
	}
	_, dbvols := find(t, f, "services", "db", "volumes")
	got = applyEdit(f, AppendItem(f, dbvols, "x:/x"))
	if want := "    - pg:/var/lib/postgresql/data\n    - x:/x\n\n  web:"; !contains(got, want) {
		t.Errorf("after appending to a sequence at its key's indentation:\n%s", got)
	}
	_, web := find(t, f, "services", "web")
	got = applyEdit(f, AppendKey(f, web, "extra_hosts:\n  - \"db:host-gateway\""))
	if want := "    depends_on: [db]\n    extra_hosts:\n      - \"db:host-gateway\"\nvolumes:"; !contains(got, want) {
		t.Errorf("after appending a key:\n%s", got)
	}
}

func TestReindent(t *testing.T) {
	if got := Reindent("  a:\n\n    b: 1\n", -2); got != "a:\n\n  b: 1\n" {
		t.Errorf("%q", got)
	}
	if got := Reindent("a:\n  b: 1\n", 2); got != "  a:\n    b: 1\n" {
		t.Errorf("%q", got)
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestValueFollowsAliases(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("x: &m {a: &v 1, <<: {b: 2}}\ny: *m\nz: {c: *v}\n"), &doc); err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	if v := Value(Value(root, "y"), "a"); v == nil || v.Value != "1" {
		t.Errorf("y.a through the alias: %v", v)
	}
	if v := Value(Value(root, "z"), "c"); v == nil || v.Value != "1" {
		t.Errorf("z.c, an alias: %v", v)
	}
	if x, z := Value(root, "x"), Value(root, "z"); !Contains(root, Value(x, "a")) || Contains(z, Value(x, "a")) || Contains(nil, x) {
		t.Error("Contains: a's scalar lies in the document, not in z (which only aliases it)")
	}
	if Value(Value(root, "x"), "b") != nil || Value(root, "nope") != nil || Value(nil, "a") != nil {
		t.Error("a key that only a merge provides, or none, has no value")
	}
}
