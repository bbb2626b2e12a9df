// Package config reads .composelint.yaml.
package config

import (
	"fmt"
	"path/filepath"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// FileName is the configuration file composelint looks for in a project directory.
const FileName = ".composelint.yaml"

// Environment is a named list of compose files, in `docker compose -f` order,
// relative to the project directory.
type Environment struct {
	Name  string
	Files []string
}

// Config is a parsed .composelint.yaml.
type Config struct {
	Path         string
	Rules        map[string]lint.RuleConfig
	Environments []Environment
	Ignore       []string
	// Strict enables the strict rules (opinions, off by default).
	Strict bool
}

// Error is a configuration mistake, located in the configuration file.
type Error struct {
	Path      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Load reads and validates the configuration at path. rule looks a rule up by ID.
func Load(path string, rule func(id string) *lint.Rule) (*Config, error) {
	data, err := source.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, rule)
}

// Parse validates configuration text.
func Parse(path string, data []byte, rule func(id string) *lint.Rule) (*Config, error) {
	c := &Config{Path: path, Rules: map[string]lint.RuleConfig{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{Path: path, Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(doc.Content) == 0 {
		return c, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, errAt(path, root, "the configuration must be a mapping (rules, environments, ignore, strict)")
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "rules":
			if err := c.parseRules(v, rule); err != nil {
				return nil, err
			}
		case "environments":
			if err := c.parseEnvironments(v); err != nil {
				return nil, err
			}
		case "ignore":
			list, err := stringList(path, v)
			if err != nil {
				return nil, err
			}
			for _, g := range list {
				if _, err := filepath.Match(g, ""); err != nil {
					return nil, errAt(path, v, fmt.Sprintf("ignore: bad glob %q: %v", g, err))
				}
			}
			c.Ignore = list
		case "strict":
			if err := v.Decode(&c.Strict); err != nil || v.Kind != yaml.ScalarNode {
				return nil, errAt(path, v, "strict must be true or false")
			}
		default:
			return nil, errAt(path, k, fmt.Sprintf("unknown key %q (known: rules, environments, ignore, strict)", k.Value))
		}
	}
	return c, nil
}

func (c *Config) parseRules(v *yaml.Node, rule func(string) *lint.Rule) error {
	if v.Kind != yaml.MappingNode {
		return errAt(c.Path, v, "rules must be a mapping of rule ID to off, info, warning, error or {severity, options}")
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, rv := v.Content[i], v.Content[i+1]
		r := rule(k.Value)
		if r == nil {
			return errAt(c.Path, k, fmt.Sprintf("unknown rule %q (see `composelint rules`)", k.Value))
		}
		var rc lint.RuleConfig
		switch rv.Kind {
		case yaml.ScalarNode:
			if err := setLevel(&rc, rv.Value); err != nil {
				return errAt(c.Path, rv, k.Value+": "+err.Error())
			}
		case yaml.MappingNode:
			for j := 0; j+1 < len(rv.Content); j += 2 {
				ok, ov := rv.Content[j], rv.Content[j+1]
				switch ok.Value {
				case "severity":
					if err := setLevel(&rc, ov.Value); err != nil {
						return errAt(c.Path, ov, k.Value+": "+err.Error())
					}
				case "options":
					opts := map[string]any{}
					if err := ov.Decode(&opts); err != nil || ov.Kind != yaml.MappingNode {
						return errAt(c.Path, ov, k.Value+": options must be a mapping")
					}
					for name := range opts {
						if !hasOption(r, name) {
							return errAt(c.Path, ov, fmt.Sprintf("%s: unknown option %q%s", k.Value, name, optionList(r)))
						}
					}
					rc.Options = opts
				default:
					return errAt(c.Path, ok, fmt.Sprintf("%s: unknown key %q (known: severity, options)", k.Value, ok.Value))
				}
			}
		default:
			return errAt(c.Path, rv, k.Value+": want off, info, warning, error or {severity, options}")
		}
		c.Rules[k.Value] = rc
	}
	return nil
}

func setLevel(rc *lint.RuleConfig, s string) error {
	if s == "off" || s == "false" {
		rc.Off = true
		return nil
	}
	sev, err := lint.ParseSeverity(s)
	if err != nil {
		return fmt.Errorf("unknown level %q (want off, info, warning or error)", s)
	}
	rc.Severity = sev
	return nil
}

func hasOption(r *lint.Rule, name string) bool {
	for _, o := range r.Options {
		if o.Name == name {
			return true
		}
	}
	return false
}

func optionList(r *lint.Rule) string {
	if len(r.Options) == 0 {
		return " (this rule has no options)"
	}
	names := make([]string, len(r.Options))
	for i, o := range r.Options {
		names[i] = o.Name
	}
	return " (known: " + strings.Join(names, ", ") + ")"
}

func (c *Config) parseEnvironments(v *yaml.Node) error {
	if v.Kind != yaml.MappingNode {
		return errAt(c.Path, v, "environments must be a mapping of name to a list of compose files")
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k := v.Content[i]
		files, err := stringList(c.Path, v.Content[i+1])
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return errAt(c.Path, k, fmt.Sprintf("environment %q lists no files", k.Value))
		}
		c.Environments = append(c.Environments, Environment{Name: k.Value, Files: files})
	}
	return nil
}

func stringList(path string, v *yaml.Node) ([]string, error) {
	switch v.Kind {
	case yaml.ScalarNode:
		return []string{v.Value}, nil
	case yaml.SequenceNode:
		out := make([]string, 0, len(v.Content))
		for _, it := range v.Content {
			if it.Kind != yaml.ScalarNode {
				return nil, errAt(path, it, "expected a string")
			}
			out = append(out, it.Value)
		}
		return out, nil
	}
	return nil, errAt(path, v, "expected a list of strings")
}

func errAt(path string, n *yaml.Node, msg string) error {
	return &Error{Path: path, Line: n.Line, Col: n.Column, Msg: msg}
}

// Ignored reports whether rel (a slash path relative to the project) matches an ignore glob.
func (c *Config) Ignored(rel string) bool {
	if c == nil {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, g := range c.Ignore {
		if ok, _ := filepath.Match(g, rel); ok {
			return true
		}
		if ok, _ := filepath.Match(g, filepath.Base(rel)); ok {
			return true
		}
		if strings.HasSuffix(g, "/**") && strings.HasPrefix(rel, strings.TrimSuffix(g, "**")) {
			return true
		}
	}
	return false
}
