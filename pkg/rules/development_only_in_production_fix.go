package rules

import (
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/environments"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/move"
	"github.com/composelint/composelint/pkg/yamledit"
)

// devonlyMove is what a finding would move: the model path of the entry in
// the production model, and the keys under the service of the collection
// that holds it (none for `command`, a key of the service itself).
type devonlyMove struct {
	svc  string
	path index.Path
	coll []string
	what string // for the fix message: "the source mount at /code"
	// appPort: an app's published port, which can be removed when there is
	// no development environment to move it to (a database's or a tool's
	// is bound to loopback by published-port-all-interfaces instead).
	appPort bool
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
// production. With no development environment to move to, a published
// port can only be removed.
func devonlyFix(p *lint.Pass, m devonlyMove, flagged map[string]bool, hasDev bool) []lint.Fix {
	if m.svc == "" || len(m.path) < 3 {
		return nil
	}
	if !hasDev {
		return devonlyRemovePort(p, m)
	}
	rel := strings.Join(m.path[2:], "\x00")
	return move.SettingFix(p.Project, p.Env, m.setting(), func(name string) bool {
		svc, enabled := p.Env.Project.Services[name]
		return enabled && environments.Starts(p.Project, svc) && !flagged[name+"\x00"+rel]
	})
}

// devonlyRemovePort is the unsafe fix of a published port in a project with
// no development environment: remove the item (and the `ports` key when it
// was the only one), when one block sequence of one file defines it.
func devonlyRemovePort(p *lint.Pass, m devonlyMove) []lint.Fix {
	if !m.appPort || len(m.path) != 4 {
		return nil
	}
	keyPath := m.path[:3]
	items, keys := p.Env.Index.Defs(m.path), p.Env.Index.Defs(keyPath)
	if len(items) != 1 || len(keys) != 1 || items[0].File != keys[0].File || keys[0].Key == nil {
		return nil
	}
	f, item, seq := items[0].File, items[0].Value, keys[0].Value
	if move.ProjectFile(p.Project, f.Path) != f || seq == nil || seq.Kind != yaml.SequenceNode ||
		seq.Style&yaml.FlowStyle != 0 || seq.Anchor != "" || !devonlyIsItemOf(seq, item) {
		return nil // an anchor, an alias, a flow list or an included file: leave it to a person
	}
	edit := yamledit.DeleteItem(f, item, true)
	if len(seq.Content) == 1 {
		edit = yamledit.DeleteKey(f, keys[0].Key, true)
	}
	return []lint.Fix{{
		Message: "remove " + m.what + " (unsafe: whoever reaches it on that port loses it)",
		Safety:  lint.Unsafe,
		Edits:   []lint.TextEdit{edit},
		Affects: []string{strings.Join(keyPath, ".")},
	}}
}

func devonlyIsItemOf(seq, item *yaml.Node) bool {
	for _, n := range seq.Content {
		if n == item {
			return true
		}
	}
	return false
}
