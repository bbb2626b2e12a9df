package rules

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var SharedPropagation = &lint.Rule{
	ID:       "shared-propagation",
	Summary:  "a bind mount propagates mounts to the host (`shared`, `rshared`)",
	Severity: lint.Warning,
	Strict:   true,
	Run:      sharedPropagation,
	Doc: lint.Doc{
		What: "Reports a bind mount with `shared` or `rshared` propagation (short syntax option or `bind.propagation`).",
		Why: "With shared propagation, what the container mounts below the path appears on the host, and the other way " +
			"round: a container that may mount can place filesystems in the host's tree. Few services need it (a " +
			"storage driver, a FUSE mounter).",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    volumes:\n      - /mnt/data:/data:rshared\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    volumes:\n      - /mnt/data:/data\n",
	},
}

func sharedPropagation(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		for _, v := range svc.Volumes {
			if v.Type != types.VolumeTypeBind || v.Bind == nil {
				continue
			}
			if v.Bind.Propagation == types.PropagationShared || v.Bind.Propagation == types.PropagationRShared {
				p.ReportPath(index.Path{"services", svc.Name, "volumes", index.Item(v.Target)},
					svc.Name+" mounts "+v.Target+" with "+v.Bind.Propagation+" propagation: mounts made in the container reach the host")
			}
		}
	}
}
