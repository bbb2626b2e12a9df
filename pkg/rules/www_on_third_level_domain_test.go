package rules

import "testing"

func TestWWWIsSubdomain(t *testing.T) {
	for d, want := range map[string]bool{
		"app.example.com": true, "a.b.example.com": true, "shop.example.co.uk": true,
		"example.com": false, "example.co.uk": false, "localhost": false, "10.0.0.1": false,
		"": false, "app..example.com": false, "{{ cookiecutter.project_domain }}": false,
	} {
		if got := wwwIsSubdomain(d); got != want {
			t.Errorf("wwwIsSubdomain(%q) = %v, want %v", d, got, want)
		}
	}
}
