package yamledit

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/source"
)

func TestAdd(t *testing.T) {
	item := Entry{Item: "- \"db:host-gateway\"\n", Key: "db: \"host-gateway\"\n"}
	for _, tc := range []struct {
		name, in string
		path     []string
		entry    Entry
		want     string // "" = refused
	}{
		{
			name:  "append to a list, keeping a trailing comment line after it",
			in:    "services:\n  web:\n    extra_hosts:\n      - \"a:1.2.3.4\"  # relay\n    # the end\n",
			path:  []string{"services", "web", "extra_hosts"},
			entry: item,
			want:  "services:\n  web:\n    extra_hosts:\n      - \"a:1.2.3.4\"  # relay\n      - \"db:host-gateway\"\n    # the end\n",
		},
		{
			name:  "a mapping takes the key form",
			in:    "services:\n  web:\n    extra_hosts:\n      a: 1.2.3.4\n",
			path:  []string{"services", "web", "extra_hosts"},
			entry: item,
			want:  "services:\n  web:\n    extra_hosts:\n      a: 1.2.3.4\n      db: \"host-gateway\"\n",
		},
		{
			name:  "compact sequences and four-space indentation are the file's",
			in:    "services:\n    web:\n        ports:\n        - \"80:80\"\n",
			path:  []string{"services", "web", "extra_hosts"},
			entry: item,
			want:  "services:\n    web:\n        ports:\n        - \"80:80\"\n        extra_hosts:\n        - \"db:host-gateway\"\n",
		},
		{
			name:  "a new service, no final newline",
			in:    "services:\n  web:\n    restart: always",
			path:  []string{"services", "worker", "extra_hosts"},
			entry: item,
			want:  "services:\n  web:\n    restart: always\n  worker:\n    extra_hosts:\n      - \"db:host-gateway\"\n",
		},
		{
			name:  "an empty service",
			in:    "services:\n  web:  # nothing yet\n  db:\n    image: postgres\n",
			path:  []string{"services", "web", "extra_hosts"},
			entry: item,
			want:  "services:\n  web:  # nothing yet\n    extra_hosts:\n      - \"db:host-gateway\"\n  db:\n    image: postgres\n",
		},
		{
			name:  "comments only",
			in:    "# nothing here yet\n",
			path:  []string{"services", "web", "extra_hosts"},
			entry: item,
			want:  "# nothing here yet\nservices:\n  web:\n    extra_hosts:\n      - \"db:host-gateway\"\n",
		},
		{
			name:  "a key of the service itself",
			in:    "services:\n  web:\n    image: x\n",
			path:  []string{"services", "web"},
			entry: Entry{Key: "command: python manage.py runserver\n"},
			want:  "services:\n  web:\n    image: x\n    command: python manage.py runserver\n",
		},
		{name: "flow sequence", in: "services:\n  web:\n    extra_hosts: [\"a:1.2.3.4\"]\n", path: []string{"services", "web", "extra_hosts"}, entry: item},
		{name: "flow service", in: "services:\n  web: {image: x}\n", path: []string{"services", "web", "extra_hosts"}, entry: item},
		{name: "anchored service", in: "services:\n  web: &w\n    image: x\n  worker: *w\n", path: []string{"services", "web", "extra_hosts"}, entry: item},
		{name: "alias", in: "x: &h\n  - \"a:1.2.3.4\"\nservices:\n  web:\n    extra_hosts: *h\n", path: []string{"services", "web", "extra_hosts"}, entry: item},
		{name: "merged key", in: "x: &h\n  extra_hosts:\n    - \"a:1.2.3.4\"\nservices:\n  web:\n    <<: *h\n", path: []string{"services", "web", "extra_hosts"}, entry: item},
		{name: "a scalar where a list goes", in: "services:\n  web:\n    extra_hosts: x\n", path: []string{"services", "web", "extra_hosts"}, entry: item},
		{name: "explicit null", in: "services:\n  web:\n    extra_hosts: null\n", path: []string{"services", "web", "extra_hosts"}, entry: item},
		{name: "two documents", in: "services: {}\n---\nservices: {}\n", path: []string{"services", "web", "extra_hosts"}, entry: item},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := source.ParseYAML("/p/docker-compose.yml", []byte(tc.in))
			e, err := Add(f, StyleOf(f), tc.path, tc.entry)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("not refused: %q", applyEdit(f, e))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := applyEdit(f, e)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if g := source.ParseYAML(f.Path, []byte(got)); g.Err != nil {
				t.Errorf("result does not parse: %v", g.Err)
			}
		})
	}
}

func TestScalar(t *testing.T) {
	for in, want := range map[string]string{
		"development":        "development",
		"db:host-gateway":    "db:host-gateway",
		"yes":                `"yes"`,
		"1":                  `"1"`,
		"":                   `""`,
		"a b":                `"a b"`,
		"x: y":               `"x: y"`,
		"${DJANGO_ENV:-dev}": `"${DJANGO_ENV:-dev}"`,
		`say "hi"`:           `"say \"hi\""`,
	} {
		if got := Scalar(in); got != want {
			t.Errorf("Scalar(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestDiffEdit(t *testing.T) {
	old := "services:\n  web:\n    image: x\n  db:\n    image: y\n"
	for _, now := range []string{
		"services:\n  web:\n    image: x\n    ports:\n      - 1:1\n  db:\n    image: y\n    ports:\n      - 2:2\n",
		"services:\n  web:\n    image: x\n  db:\n    image: y\n  z:\n    image: z\n",
		old,
	} {
		f := source.ParseYAML("/p/c.yml", []byte(old))
		e := DiffEdit(f, []byte(now))
		if got := applyEdit(f, e); got != now {
			t.Errorf("got %q, want %q", got, now)
		}
		if e.Start > 0 && old[e.Start-1] != '\n' || e.End < len(old) && old[e.End-1] != '\n' {
			t.Errorf("edit [%d,%d) does not cover whole lines", e.Start, e.End)
		}
	}
}

func TestInService(t *testing.T) {
	f := source.ParseYAML("/p/compose.yaml", []byte("x-shared: &shared\n  read_only: true\nservices:\n  web:\n    <<: *shared\n    image: web\n  worker:\n    image: worker\n"))
	shared := f.Docs[0].Content[1]
	_, image := Lookup(ServiceNode(f, "web"), "image")
	for _, tc := range []struct {
		n       *yaml.Node
		service string
		want    bool
	}{
		{image, "web", true},
		{image, "worker", false},
		{shared, "web", false}, // an anchor the service merges is not its own
	} {
		if got := InService(f, tc.n, tc.service); got != tc.want {
			t.Errorf("InService(line %d, %s) = %v, want %v", tc.n.Line, tc.service, got, tc.want)
		}
	}
}
