package services

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/lint"
)

// HasHealthcheck tells whether the compose file gives a service a healthcheck.
func HasHealthcheck(h *types.HealthCheckConfig) bool {
	return h != nil && !h.Disable && len(h.Test) > 0 && h.Test[0] != "NONE"
}

// DockerfileHealthcheck tells whether the stage a service builds has a
// HEALTHCHECK (other than NONE), and whether the Dockerfile could be read at
// all: a pulled image, or a Dockerfile outside the project, is not known.
func DockerfileHealthcheck(proj *lint.Project, svc types.ServiceConfig) (has, known bool) {
	content, ok := Dockerfile(proj, svc)
	if !ok {
		return false, false
	}
	for _, stage := range dockerfile.Chain(dockerfile.Parse(content), svc.Build.Target) {
		for _, in := range stage.Instrs {
			if in.Cmd == "HEALTHCHECK" {
				w := in.Words()
				has = len(w) == 0 || w[0] != "NONE"
			}
		}
	}
	return has, true
}
