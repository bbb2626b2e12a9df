package rules

import (
	"fmt"
	"path"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/move"
	"github.com/composelint/composelint/pkg/source"
	"github.com/composelint/composelint/pkg/yamledit"
)

// proxyMountFix mounts volume name read-only at target in the proxy:
// `- NAME:TARGET:ro` appended to the proxy's `volumes` in the file that
// defines them in production (a new `volumes:` key under the proxy, in the
// file that defines it last, when it has none). Safe: it only adds a
// read-only mount of a volume that exists. Offered when there is a single
// file-serving proxy, the volume is declared in every environment that
// loads the edited file, and the proxy mounts nothing at target yet.
func proxyMountFix(p *lint.Pass, proxies []types.ServiceConfig, name, target string) []lint.Fix {
	if len(proxies) != 1 || p.Env.Project == nil {
		return nil
	}
	px := proxies[0]
	if _, ok := p.Env.Project.Volumes[name]; !ok {
		return nil
	}
	var f *source.File
	if def := p.Env.Index.Get(index.Path{"services", px.Name, "volumes"}); def != nil {
		f = def.File
	} else if def := p.Env.Index.Get(index.Path{"services", px.Name}); def != nil {
		f = def.File
	}
	if f == nil || move.ProjectFile(p.Project, f.Path) == nil || yamledit.ServiceNode(f, px.Name) == nil {
		return nil
	}
	for _, env := range p.Project.Environments {
		if !move.Loads(env, f.Path) {
			continue
		}
		if env.Project == nil {
			return nil
		}
		if _, ok := env.Project.Volumes[name]; !ok {
			return nil // that environment would no longer load
		}
		svc, ok := env.Project.Services[px.Name]
		if !ok {
			svc, ok = env.Project.DisabledServices[px.Name]
		}
		if !ok {
			return nil
		}
		for _, m := range svc.Volumes {
			if path.Clean(m.Target) == path.Clean(target) {
				return nil // something else is mounted there: a person must choose
			}
		}
	}
	mount := name + ":" + target + ":ro"
	edit, err := yamledit.Add(f, yamledit.StyleOf(f), []string{"services", px.Name, "volumes"}, yamledit.Entry{Item: "- " + yamledit.Scalar(mount) + "\n"})
	if err != nil {
		return nil
	}
	return []lint.Fix{{
		Message: fmt.Sprintf("mount %s read-only at %s in %s (%s)", name, target, px.Name, source.Rel(p.Project.Dir, f.Path)),
		Safety:  lint.Safe,
		Edits:   []lint.TextEdit{edit},
		Affects: []string{"services." + px.Name + ".volumes"},
	}}
}
