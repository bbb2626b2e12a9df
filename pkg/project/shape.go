package project

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/composelint/composelint/pkg/config"
	"github.com/composelint/composelint/pkg/source"
)

// shape is the top of a compose file, as discovery reads it to tell a file
// that runs on its own from a file of fragments. `<<` merge keys are
// resolved; interpolation is not needed for what it looks at.
type shape struct {
	services                            map[string]any
	volumes, networks, secrets, configs map[string]any
	// more: the file takes more than its first document says: further
	// documents, an include, or top-level keys no Compose file has
	// (the legacy format, whose services are at the top).
	more bool
}

// topKeys are the top-level keys of a Compose file.
var topKeys = []string{"version", "name", "services", "volumes", "networks", "secrets", "configs", "models"}

// readShape decodes the first document of a compose file; nil when it is
// no mapping, or cannot be read (the load reports why). It goes through
// source's parser, whose limits keep a hostile file from costing minutes
// here (yaml's decoding of a mapping is quadratic in its keys).
func readShape(f *source.File) *shape {
	if f.Err != nil && source.TemplatePlaceholder.Match(f.Content) {
		// A project template: read as the project generated from it.
		f = source.ParseYAML(f.Path, source.TemplatePlaceholder.ReplaceAll(f.Content, []byte("placeholder")))
	}
	if f.Err != nil || len(f.Docs) == 0 {
		return nil
	}
	var top map[string]any
	if err := f.Docs[0].Decode(&top); err != nil || top == nil {
		return nil
	}
	m := func(k string) map[string]any { v, _ := top[k].(map[string]any); return v }
	more := len(f.Docs) > 1
	for k := range top {
		more = more || !slices.Contains(topKeys, k) && !strings.HasPrefix(k, "x-")
	}
	return &shape{services: m("services"), volumes: m("volumes"), networks: m("networks"),
		secrets: m("secrets"), configs: m("configs"), more: more}
}

// standalone reports whether the file defines complete services (an image
// or a build for each, or an extends) and declares every volume, network,
// secret, config and service they refer to: a file a person runs alone
// (`docker compose -f production.yml up`), not one that overlays a base.
// Beside a base file, it must also declare resources of its own: complete
// services alone (wemake's docker-compose.prod.yml sets `image` and
// `command` of the base's services) read as an overlay.
func (s *shape) standalone(besideBase bool) bool {
	if s == nil {
		return false
	}
	if besideBase && len(s.volumes)+len(s.networks)+len(s.secrets)+len(s.configs) == 0 {
		return false
	}
	return s.complete()
}

// extendsFrom reports whether a service of the file, which lives in dir,
// extends a service of the file at path.
func (s *shape) extendsFrom(dir, path string) bool {
	if s == nil {
		return false
	}
	for _, v := range s.services {
		svc, _ := v.(map[string]any)
		ext, _ := svc["extends"].(map[string]any)
		if f, _ := ext["file"].(string); f != "" && filepath.Join(dir, f) == path {
			return true
		}
	}
	return false
}

// complete reports whether every service is complete and every reference
// resolves within the file.
func (s *shape) complete() bool {
	if s == nil || len(s.services) == 0 {
		return false
	}
	for _, v := range s.services {
		svc, ok := v.(map[string]any)
		if !ok || !s.completeService(svc) {
			return false
		}
	}
	return true
}

func (s *shape) completeService(svc map[string]any) bool { return s.missing(svc) == "" }

// missing says what a service leaves to another file ("" for nothing): an
// image or a build (or extends, or a provider that stands for the service), or a volume, network, service, secret or config it
// refers to and the file does not declare.
func (s *shape) missing(svc map[string]any) string {
	if svc["image"] == nil && svc["build"] == nil && svc["extends"] == nil && svc["provider"] == nil {
		return "an image or a build"
	}
	for _, name := range namedVolumes(svc["volumes"]) {
		if _, ok := s.volumes[name]; !ok {
			return "volume " + name
		}
	}
	refs := []struct {
		kind     string
		used     []string
		declared map[string]any
	}{
		{"network", names(svc["networks"], "source"), s.networks},
		{"service", names(svc["depends_on"], "source"), s.services},
		{"service", names(svc["links"], "source"), s.services},
		{"secret", names(svc["secrets"], "source"), s.secrets},
		{"config", names(svc["configs"], "source"), s.configs},
	}
	for _, r := range refs {
		for _, name := range r.used {
			if _, ok := r.declared[name]; !ok && name != "default" {
				return r.kind + " " + name
			}
		}
	}
	if mode, _ := svc["network_mode"].(string); strings.HasPrefix(mode, "service:") {
		if _, ok := s.services[strings.TrimPrefix(mode, "service:")]; !ok {
			return "service " + strings.TrimPrefix(mode, "service:")
		}
	}
	return ""
}

// Fragment says why the compose file at path cannot run on its own, "" when
// it can (or cannot be read: loading it says why), or when it may take the
// rest from elsewhere in its project (an include, other documents, an
// override, production or development file that discovery lints with it,
// or a configuration file in its directory; variants aside, such as
// compose.admin.yml, are linted apart and do not count):
// it has no services, or a service takes from another file what the file
// does not define (an overlay of a test harness's base file:
// `authelia-backend` with volumes only, networks the base declares).
func Fragment(path string) string {
	fs := newFiles(nil)
	s := fs.shape(path)
	switch {
	case s == nil || s.more || fs.combined(path) ||
		fs.exists(filepath.Join(filepath.Dir(path), config.FileName)):
		return ""
	case len(s.services) == 0:
		return "it defines no services"
	}
	for _, name := range slices.Sorted(maps.Keys(s.services)) {
		svc, _ := s.services[name].(map[string]any)
		if what := s.missing(svc); what != "" {
			return fmt.Sprintf("service %s needs %s from another file", name, what)
		}
	}
	return ""
}

// names lists what a list or mapping of references names: the keys of a
// mapping, the items of a list ("db:alias" for links names db), or the
// key field of the items written as mappings. Interpolated names are
// skipped: their value is unknown here.
func names(v any, key string) []string {
	var out []string
	add := func(s string) {
		s, _, _ = strings.Cut(s, ":")
		if s != "" && !strings.Contains(s, "$") {
			out = append(out, s)
		}
	}
	switch v := v.(type) {
	case map[string]any:
		for k := range v {
			add(k)
		}
	case []any:
		for _, item := range v {
			switch item := item.(type) {
			case string:
				add(item)
			case map[string]any:
				if s, ok := item[key].(string); ok {
					add(s)
				}
			}
		}
	}
	return out
}

// namedVolumes lists the named volumes a service mounts (not bind mounts,
// anonymous volumes or tmpfs).
func namedVolumes(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, item := range list {
		switch item := item.(type) {
		case string:
			src, _, found := strings.Cut(item, ":")
			if found && isVolumeName(src) {
				out = append(out, src)
			}
		case map[string]any:
			src, _ := item["source"].(string)
			if t, _ := item["type"].(string); t == "volume" && isVolumeName(src) {
				out = append(out, src)
			}
		}
	}
	return out
}

// isVolumeName tells a volume name from a host path, as compose does: a
// path starts with ".", "/" or "~"; an interpolated source is unknown.
func isVolumeName(s string) bool {
	return s != "" && !strings.ContainsAny(s[:1], "./~") && !strings.ContainsAny(s, `$/\`)
}

// developmentSign says what marks the file as a development setup, as a
// person reading it would see it, or "": a service it builds with the
// project's source bind-mounted in (`.:/app`, so that the container runs
// the code being edited), or a service configured for development
// (DJANGO_SETTINGS_MODULE=app.settings.dev, NODE_ENV=development,
// DEBUG=true). Services in a profile do not count: `up` does not run them.
// dir is the file's directory, project the project's.
func (s *shape) developmentSign(dir, project string) string {
	if s == nil {
		return ""
	}
	for _, name := range slices.Sorted(maps.Keys(s.services)) {
		svc, _ := s.services[name].(map[string]any)
		if svc == nil || svc["profiles"] != nil {
			continue
		}
		if svc["build"] != nil && mountsSource(svc["volumes"], dir, project) {
			return fmt.Sprintf("it mounts the project's source into `%s`, which it builds", name)
		}
		if k, v := developmentSetting(svc["environment"]); k != "" {
			return fmt.Sprintf("`%s` sets %s=%s", name, k, v)
		}
	}
	return ""
}

func mountsSource(volumes any, dir, project string) bool {
	list, _ := volumes.([]any)
	for _, item := range list {
		var src string
		switch item := item.(type) {
		case string:
			src, _, _ = strings.Cut(item, ":")
		case map[string]any:
			if t, _ := item["type"].(string); t == "bind" {
				src, _ = item["source"].(string)
			}
		}
		if !strings.HasPrefix(src, ".") {
			continue
		}
		if p := filepath.Join(dir, src); p == dir || p == project {
			return true
		}
	}
	return false
}

// developmentSetting finds a variable that selects a development
// configuration: *_ENV or *_ENVIRONMENT set to development, dev or local,
// a settings module ending in .dev, .development or .local, DEBUG on.
func developmentSetting(env any) (key, value string) {
	vars := map[string]string{}
	switch env := env.(type) {
	case map[string]any:
		for k, v := range env {
			vars[k] = fmt.Sprint(v)
		}
	case []any:
		for _, item := range env {
			if s, ok := item.(string); ok {
				if k, v, ok := strings.Cut(s, "="); ok {
					vars[k] = v
				}
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		v := strings.ToLower(strings.Trim(vars[k], `"' `))
		name := strings.ToUpper(k)
		switch {
		case name == "ENV" || strings.HasSuffix(name, "_ENV") || strings.HasSuffix(name, "ENVIRONMENT"):
			if v == "development" || v == "dev" || v == "local" {
				return k, vars[k]
			}
		case strings.HasSuffix(name, "SETTINGS_MODULE"):
			for _, suffix := range []string{".dev", ".development", ".local"} {
				if strings.HasSuffix(v, suffix) {
					return k, vars[k]
				}
			}
		case name == "DEBUG" || name == "DJANGO_DEBUG" || name == "FLASK_DEBUG":
			if v == "true" || v == "1" || v == "yes" || v == "on" {
				return k, vars[k]
			}
		}
	}
	return "", ""
}

// combined reports whether discovery may lint the file at path with
// another of its directory: an override, a production or a development file.
func (fs files) combined(path string) bool {
	for _, f := range fs.scan(filepath.Dir(path)) {
		if f.path != path && f.role != roleBase && f.role != roleAside {
			return true
		}
	}
	return false
}
