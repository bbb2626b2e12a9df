package index

import (
	"maps"
	"slices"
)

// WalkModel calls fn for every leaf of a merged Compose model (the
// map[string]any of loader.LoadModelWithContext), with the path the index
// gives that leaf: sequence items are named by the same identities as in
// Build, so that ix.Lookup(p) finds where the leaf was written. Items of
// KEY=VALUE lists and of lists Compose turns into maps are visited as
// KEY with the value after "=" (nil for a bare KEY). Empty mappings and
// sequences are leaves too. Keys are visited in sorted order. workingDir
// resolves relative env_file paths, as Options.WorkingDir does.
func WalkModel(model map[string]any, workingDir string, fn func(p Path, leaf any)) {
	walkValue(Path{}, model, workingDir, fn)
}

func walkValue(p Path, v any, dir string, fn func(Path, any)) {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			fn(p, v)
			return
		}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			walkValue(p.Child(k), v[k], dir, fn)
		}
	case []any:
		if len(v) == 0 {
			fn(p, v)
			return
		}
		kind := seqKindOf(p)
		for i, item := range v {
			if s, ok := item.(string); ok && kind.isMapLike() {
				k, val := keyValue(kind, s)
				fn(p.Child(k), val)
				continue
			}
			for _, seg := range identities(kind, item, i, dir) {
				walkValue(p.Child(seg), item, dir, fn)
			}
		}
	default:
		fn(p, v)
	}
}
