package rules

import (
	"strings"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/move"
)

// devonlyMove is what a finding would move: the model path of the entry in
// the production model, and the keys under the service of the collection
// that holds it (none for `command`, a key of the service itself).
type devonlyMove struct {
	svc  string
	path index.Path
	coll []string
	what string // for the fix message: "the source mount at /code"
}

// devonlyFinding is a finding waiting for its fix: fixes are computed once
// every finding of the pass is known (an entry that an anchor shares is
// moved for every service that uses it, and only if each of them is found).
type devonlyFinding struct {
	report func(fixes ...lint.Fix)
	move   devonlyMove
}

func (m devonlyMove) setting() move.Setting {
	return move.Setting{Path: m.path, Collection: m.coll, What: m.what}
}

func (m devonlyMove) key() string {
	if m.svc == "" {
		return ""
	}
	return m.setting().Key()
}

// devonlyFix builds the fix of one finding (pkg/move plans it; nil when
// none is safe). flagged holds the keys of every finding of the pass: a
// service that shares the entry without a finding of its own needs it in
// production.
func devonlyFix(p *lint.Pass, m devonlyMove, flagged map[string]bool) []lint.Fix {
	if m.svc == "" || len(m.path) < 3 {
		return nil
	}
	rel := strings.Join(m.path[2:], "\x00")
	return move.SettingFix(p.Project, p.Env, m.setting(), func(name string) bool {
		svc, enabled := p.Env.Project.Services[name]
		return enabled && dbenvStarts(p, svc) && !flagged[name+"\x00"+rel]
	})
}
