package lsp

import (
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
)

// uriToPath turns a file URI into an absolute, cleaned path.
func uriToPath(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", fmt.Errorf("invalid URI %q: %v", uri, err)
	}
	if u.Scheme != "file" {
		return "", fmt.Errorf("%q is not a file URI", uri)
	}
	p := u.Path
	if u.Host != "" && u.Host != "localhost" {
		if runtime.GOOS != "windows" {
			return "", fmt.Errorf("%q names a file on another host", uri)
		}
		p = "//" + u.Host + p // UNC path
	}
	if runtime.GOOS == "windows" {
		// file:///C:/dir/file → C:\dir\file
		if len(p) >= 3 && p[0] == '/' && p[2] == ':' {
			p = p[1:]
		}
		p = filepath.FromSlash(p)
	}
	if p == "" || !filepath.IsAbs(p) {
		return "", fmt.Errorf("%q does not name an absolute path", uri)
	}
	return filepath.Clean(p), nil
}

// pathToURI turns an absolute path into a file URI.
func pathToURI(path string) string {
	p := filepath.ToSlash(path)
	if runtime.GOOS == "windows" {
		if strings.HasPrefix(p, "//") { // UNC: file://host/share/…
			host, rest, _ := strings.Cut(p[2:], "/")
			return (&url.URL{Scheme: "file", Host: host, Path: "/" + rest}).String()
		}
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
