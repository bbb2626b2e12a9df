package imageref

import "testing"

func TestParts(t *testing.T) {
	for _, c := range []struct{ image, repo, tag, ns string }{
		{"caddy", "caddy", "", ""},
		{"docker.io/library/caddy:2.8-alpine", "caddy", "2.8-alpine", "docker.io/library"},
		{"Postgres:16", "postgres", "16", ""},
		{"localhost:5000/team/app", "app", "", "localhost:5000/team"},
		{"localhost:5000/team/app:v1.2", "app", "v1.2", "localhost:5000/team"},
		{"nginx@sha256:abc", "nginx", "", ""},
		{"nginx:1.27@sha256:abc", "nginx", "1.27", ""},
		{" bitnami/postgresql:latest ", "postgresql", "latest", "bitnami"},
		{"ghcr.io/org/img:Edge", "img", "Edge", "ghcr.io/org"},
		{"", "", "", ""},
	} {
		if got := Repo(c.image); got != c.repo {
			t.Errorf("Repo(%q) = %q, want %q", c.image, got, c.repo)
		}
		if got := Tag(c.image); got != c.tag {
			t.Errorf("Tag(%q) = %q, want %q", c.image, got, c.tag)
		}
		if got := Namespace(c.image); got != c.ns {
			t.Errorf("Namespace(%q) = %q, want %q", c.image, got, c.ns)
		}
	}
}
