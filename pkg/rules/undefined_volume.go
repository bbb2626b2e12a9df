package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

var UndefinedVolume = &lint.Rule{
	ID:       "undefined-volume",
	Summary:  "a service mounts a named volume that no top-level `volumes:` declares",
	Severity: lint.Error,
	Run:      undefinedVolume,
	Doc: lint.Doc{
		What: "Reports a service volume of type `volume` (`name:/path` in the short syntax, `type: volume` in the long one) " +
			"whose source is not declared under the top-level `volumes:` of any file the environment loads. Each " +
			"environment is checked with its own files: a volume declared only in `docker-compose.override.yml` is " +
			"undefined in production. A host path given with `type: volume` is reported too: Compose looks it up as a " +
			"volume name.",
		Why: "docker compose refuses to start the whole project (\"service web refers to undefined volume media\"). It " +
			"typically happens after a volume is removed or renamed in one file but a service in another file still " +
			"mounts it, or when production mounts a volume that only the development override declares.",
		Example: "services:\n  web:\n    image: myapp\n    volumes:\n      - django-media:/var/www/django/media\n",
		Instead: "services:\n  web:\n    image: myapp\n    volumes:\n      - django-media:/var/www/django/media\n\nvolumes:\n  django-media:\n",
	},
}

func undefinedVolume(p *lint.Pass) {
	if p.Env == nil || p.Env.Project == nil {
		return
	}
	declared := p.Env.Project.Volumes
	for _, svc := range p.Services() {
		for _, v := range svc.Volumes {
			if v.Type != types.VolumeTypeVolume || v.Source == "" {
				continue
			}
			if _, ok := declared[v.Source]; ok {
				continue
			}
			path := index.Path{"services", svc.Name, "volumes", index.Item(v.Target)}
			var msg string
			if isPathLike(v.Source) {
				msg = fmt.Sprintf("%s mounts %q with `type: volume`, so Compose looks for a top-level volume of that name "+
					"and refuses the project; use `type: bind` to mount a host path", svc.Name, v.Source)
			} else {
				msg = fmt.Sprintf("%s mounts volume %q, which no top-level `volumes:` of this environment declares: "+
					"docker compose refuses the project; %s", svc.Name, v.Source, undefinedVolumeAdvice(p, v.Source))
			}
			p.ReportPath(path, msg)
		}
	}
}

// undefinedVolumeAdvice says how to fix a reference to an undeclared volume:
// a close name that is declared (a typo), the other file that declares it,
// or where to declare it.
func undefinedVolumeAdvice(p *lint.Pass, name string) string {
	var close []string
	for declared := range p.Env.Project.Volumes {
		if d := levenshtein.ComputeDistance(strings.ToLower(declared), strings.ToLower(name)); d > 0 && d <= 2 {
			close = append(close, declared)
		}
	}
	slices.Sort(close)
	if len(close) > 0 {
		return fmt.Sprintf("did you mean %q? Otherwise declare it under the top-level `volumes:`", close[0])
	}
	// Declared by a file of another environment only?
	var elsewhere []string
	for _, env := range p.Project.Environments {
		if env == p.Env || env.Index == nil {
			continue
		}
		for _, d := range env.Index.Defs(index.Path{"volumes", name}) {
			rel := source.Rel(p.Project.Dir, d.File.Path)
			if !slices.Contains(elsewhere, rel) {
				elsewhere = append(elsewhere, rel)
			}
		}
	}
	if len(elsewhere) > 0 {
		slices.Sort(elsewhere)
		return fmt.Sprintf("only %s declares it, and this environment does not load that file; declare it in a file "+
			"this environment loads (the base file when every environment needs it)", strings.Join(elsewhere, ", "))
	}
	return fmt.Sprintf("declare it (`volumes: {%s: {}}` at the top level) or fix the name", name)
}

// isPathLike tells a host path from a volume name.
func isPathLike(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.HasPrefix(s, ".") || strings.HasPrefix(s, "~")
}
