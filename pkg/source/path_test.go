package source

import "testing"

func TestRelOutsideDirStaysAbsolute(t *testing.T) {
	for _, c := range []struct{ dir, path, want string }{
		{"/a/b", "/a/c/x.yml", "/a/c/x.yml"},
		{"/a", "/a/c/x.yml", "c/x.yml"},
		{"/a", "/a", "."},
		{"/a", "/a/..b/x.yml", "..b/x.yml"}, // a name that starts with two dots is inside
		{"", "/a/x.yml", "/a/x.yml"},
	} {
		if got := Rel(c.dir, c.path); got != c.want {
			t.Errorf("Rel(%q, %q) = %q, want %q", c.dir, c.path, got, c.want)
		}
	}
	if Within("/a/b", "/a/bc") || !Within("/a/b", "/a/b/c") || Within("", "/a") {
		t.Error("Within")
	}
}
