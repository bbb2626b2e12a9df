package config

import (
	"encoding/json"

	"github.com/composelint/composelint/pkg/lint"
)

// SchemaURL is where the JSON schema of .composelint.yaml is published, for
// the YAML language server (`# yaml-language-server: $schema=…`).
const SchemaURL = "https://raw.githubusercontent.com/composelint/composelint/main/schema/composelint.schema.json"

// JSONSchema is the JSON schema of .composelint.yaml for these rules: what
// Parse accepts, with each rule's summary, severity values and options.
// schema/composelint.schema.json is this text (a test keeps them equal).
func JSONSchema(rules []*lint.Rule) []byte {
	ruleProps := map[string]any{}
	for _, r := range rules {
		ruleProps[r.ID] = ruleSchema(r)
	}
	files := map[string]any{"oneOf": []any{
		map[string]any{"type": "string"},
		map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "minItems": 1},
	}}
	s := map[string]any{
		"$schema":              "http://json-schema.org/draft-07/schema#",
		"$id":                  SchemaURL,
		"title":                "composelint configuration (.composelint.yaml)",
		"type":                 "object",
		"additionalProperties": false,
		"properties": map[string]any{
			"rules": map[string]any{
				"description":          "Rule ID to off, info, warning, error, or {severity, options}.",
				"type":                 "object",
				"additionalProperties": false,
				"properties":           ruleProps,
			},
			"environments": map[string]any{
				"description":          "Replaces the discovered environments: a name to its compose files, in docker compose -f order, relative to the project directory.",
				"type":                 "object",
				"additionalProperties": files,
			},
			"ignore": map[string]any{
				"description": "Findings in files matching these globs (relative to the project directory) are not reported.",
				"oneOf":       files["oneOf"],
			},
			"strict": map[string]any{"description": "Enable the strict rules (opinions, off by default).", "type": "boolean"},
		},
		"definitions": map[string]any{
			"level": map[string]any{
				"description": "off, or the severity the rule reports with.",
				"enum":        []any{"off", false, "info", "warning", "warn", "error"},
			},
		},
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // maps of strings, bools and slices always marshal
	}
	return append(b, '\n')
}

func ruleSchema(r *lint.Rule) map[string]any {
	level := map[string]any{"$ref": "#/definitions/level"}
	settings := map[string]any{"severity": level}
	if len(r.Options) > 0 {
		opts := map[string]any{}
		for _, o := range r.Options {
			opts[o.Name] = map[string]any{"description": o.Doc, "default": o.Default, "type": jsonType(o.Default)}
		}
		settings["options"] = map[string]any{"type": "object", "additionalProperties": false, "properties": opts}
	}
	return map[string]any{
		"description": r.Summary + " (default: " + r.Severity.String() + ")",
		"oneOf": []any{level, map[string]any{
			"type": "object", "additionalProperties": false, "properties": settings,
		}},
	}
}

// jsonType is the JSON schema type of an option's default value.
func jsonType(v any) string {
	switch v.(type) {
	case bool:
		return "boolean"
	case int, int64:
		return "integer"
	case float64:
		return "number"
	case []string, []any:
		return "array"
	}
	return "string"
}
