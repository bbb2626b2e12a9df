package rules

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/resources"
	"github.com/composelint/composelint/pkg/source"
)

var UnusedVolume = &lint.Rule{
	ID:       "unused-volume",
	Summary:  "a top-level volume that no service of any environment mounts",
	Severity: lint.Info,
	Scope:    lint.PerProject,
	Fixable:  true,
	Run:      unusedVolume,
	Doc: lint.Doc{
		What: "Reports a named volume declared under the top-level `volumes:` that no service mounts in any environment " +
			"(development, production, …). It is reported at its key in every file that declares it. `volumes_from` " +
			"shares another container's mounts and does not count as a use of a named volume. A volume whose name is the " +
			"value of a service's environment variable or label counts as used (a service that starts containers " +
			"itself attaches them by name), and so does one that the declaring file's own services mount when an " +
			"override of the environment replaced or `!reset` them (the file is used alone too). Environments that " +
			"failed to load are not guessed at: a volume they declare is left alone. When a service bind-mounts a host " +
			"directory of the volume's name (`./certs:/certificates` beside a volume `certs`), the message says so: " +
			"the volume may be what was meant.",
		Why: "The wemake-django-template production checklist says it plainly: \"If you don't need media files support, " +
			"just remove the volumes.\" A declared volume that nothing mounts is either dead configuration left behind by a removed " +
			"service, or a sign that a service forgot to mount it (media files that vanish on every deploy).",
		Example: "services:\n  web:\n    image: myapp\n    volumes:\n      - django-static:/var/www/django/static\n\n" +
			"volumes:\n  django-static:\n  django-media:\n",
		Instead: "services:\n  web:\n    image: myapp\n    volumes:\n      - django-static:/var/www/django/static\n\n" +
			"volumes:\n  django-static:\n",
	},
}

func unusedVolume(p *lint.Pass) {
	resources.ReportUnused(p, "volumes", resources.VolumesUsed, func(name string) string {
		msg := fmt.Sprintf("volume %s is declared but no service mounts it in any environment; ", name)
		if svc, v, ok := bindNamed(p, name); ok {
			// `./certs:/certificates` beside a volume `certs`: which was meant?
			return msg + fmt.Sprintf("%s mounts ./%s, a host directory of that name, at %s: if the volume was meant, "+
				"mount `%s:%s`; else remove it", svc, source.Rel(p.Project.Dir, v.Source), v.Target, name, v.Target)
		}
		return msg + "remove it"
	})
}

// bindNamed finds a bind mount, in any environment, of a host directory
// whose name is the volume's.
func bindNamed(p *lint.Pass, name string) (string, types.ServiceVolumeConfig, bool) {
	for _, env := range p.Project.Environments {
		if env.Project == nil {
			continue
		}
		for _, svcName := range slices.Sorted(maps.Keys(env.Project.Services)) {
			for _, v := range env.Project.Services[svcName].Volumes {
				if v.Type == types.VolumeTypeBind && filepath.Base(v.Source) == name && source.Within(p.Project.Dir, v.Source) {
					return svcName, v, true
				}
			}
		}
	}
	return "", types.ServiceVolumeConfig{}, false
}
