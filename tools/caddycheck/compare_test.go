package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	ours "github.com/composelint/composelint/pkg/caddyfile"
)

// FuzzCompare runs both parsers on arbitrary input:
//
//	go test -fuzz=FuzzCompare -fuzztime=2m
func FuzzCompare(f *testing.F) {
	os.Clearenv()
	for _, s := range []string{
		"{\n\temail {$TLS_EMAIL}\n}\nwww.{$DOMAIN_NAME} {\n\tredir https://{$DOMAIN_NAME}{uri}\n}\n",
		"(s) {\n\troot * {args[0]}\n\t{block}\n}\na.com,\nb.com {\n\timport s /x {\n\t\tfile_server\n\t}\n}\n",
		"a.com {\n\trespond <<EOF\n\t\tx\n\tEOF 200\n}\n",
		"&(r) {\n\trespond ok\n}\na.com {\n\tinvoke r\n}\n",
		"a \\\nb \"c\\\"d\" `e\nf` # c\n",
		"(a) {\n\timport b\n}\n(b) {\n\timport a\n}\nx {\n\timport a\n}\n",
	} {
		f.Add([]byte(s))
	}
	filepath.WalkDir("../../testdata", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if src, ok := caddyfileContent(path); ok {
				f.Add(src)
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, src []byte) {
		// Ours never panics (compare forgives only Caddy's panics).
		ours.Read(src)
		ours.Parse("/project/Caddyfile", ours.ExpandEnv(ours.BlankFileImports(src), func(p ours.Placeholder) string { return p.Name }))
		if diff := compare("/project/Caddyfile", src); diff != "" && diff[:6] != "panic:" {
			t.Errorf("%q: %s", src, diff)
		}
	})
}
