package rules

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/move"
	"github.com/composelint/composelint/pkg/resources"
)

// databaseMoveFix returns the unsafe fix of database-in-production for
// service svc of the production environment (pkg/move plans it), or false
// when the move cannot be done safely.
func databaseMoveFix(p *lint.Pass, svc types.ServiceConfig) (lint.Fix, bool) {
	return move.Database(p.Project, p.Env, svc, func(proj *types.Project) (volumes, networks map[string]bool) {
		return resources.VolumesUsed(proj), resources.NetworksUsed(proj)
	})
}
