package rules

import (
	"fmt"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
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
		if env != p.Env && prodfixEnvLoads(env, f.Path) {
			return nil // not production-only: the other environment would change too
		}
	}
	// A service of an included project cannot be extended by the including file.
	if def := p.Env.Index.Get(index.Path{"services", svc}); def == nil || prodfixProjectFile(p, def.File.Path) == nil {
		return nil
	}
	value := host + ":" + address
	entry := prodfixEntry{Item: "- " + prodfixQuote(value) + "\n", Key: prodfixKeyText(host) + ": " + prodfixQuote(address) + "\n"}
	edit, err := prodfixAdd(f, prodfixStyleOf(f, p.Env.Files[0]), []string{"services", svc, "extra_hosts"}, entry)
	if err != nil {
		return nil
	}
	return []lint.Fix{{
		Message: fmt.Sprintf("add `extra_hosts: [%s]` to `%s` in %s", prodfixQuote(value), svc, prodfixRel(p, f.Path)),
		Safety:  lint.Unsafe,
		Edits:   []lint.TextEdit{edit},
		Affects: []string{"services." + svc + ".extra_hosts"},
	}}
}
