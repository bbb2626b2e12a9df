package rules

import (
	"fmt"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/move"
	"github.com/composelint/composelint/pkg/source"
	"github.com/composelint/composelint/pkg/yamledit"
)

// dbhostFix maps host to address for service svc: an `extra_hosts` entry
// "host:address" in the production-only file (the last file of the
// environment, which no other environment loads), appended to the
// service's `extra_hosts` there, or under a new key (and a new service
// entry) when the file has none. Unsafe: it changes what the container
// resolves. None when there is no production-only file, or the edit could
// not be made by lines (flow style, anchors, a `<<` merge providing the key).
func dbhostFix(p *lint.Pass, svc, host, address string) []lint.Fix {
	n := len(p.Env.Files)
	if address == "" || n < 2 {
		return nil
	}
	f := p.Env.Files[n-1]
	if f.Err != nil {
		return nil
	}
	for _, env := range p.Project.Environments {
		if env != p.Env && move.Loads(env, f.Path) {
			return nil // not production-only: the other environment would change too
		}
	}
	// A service of an included project cannot be extended by the including file.
	if def := p.Env.Index.Get(index.Path{"services", svc}); def == nil || move.ProjectFile(p.Project, def.File.Path) == nil {
		return nil
	}
	value := host + ":" + address
	entry := yamledit.Entry{Item: "- " + yamledit.Quote(value) + "\n", Key: yamledit.KeyText(host) + ": " + yamledit.Quote(address) + "\n"}
	edit, err := yamledit.Add(f, yamledit.StyleOf(f, p.Env.Files[0]), []string{"services", svc, "extra_hosts"}, entry)
	if err != nil {
		return nil
	}
	return []lint.Fix{{
		Message: fmt.Sprintf("add `extra_hosts: [%s]` to `%s` in %s", yamledit.Quote(value), svc, source.Rel(p.Project.Dir, f.Path)),
		Safety:  lint.Unsafe,
		Edits:   []lint.TextEdit{edit},
		Affects: []string{"services." + svc + ".extra_hosts"},
	}}
}
