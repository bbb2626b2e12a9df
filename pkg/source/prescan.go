package source

import (
	"bytes"
	"regexp"
)

// pastNodeLimit tells, from the lines alone and before any parse, whether
// a document of content holds more nodes than MaxNodes: a parse builds a
// tree of some 300 bytes a node (30 times a dense file's size) before
// anything can count it. It returns the line at which a lower bound of
// the nodes compose-go visits passes the limit, or 0: within the limit,
// or text a line scan cannot follow (a quote or bracket open across
// lines), which the parse then checks. The bound counts what each line
// surely holds: a value for a `key:`, an item for a `- `; the lines deeper
// than a value on its own line belong to that value (block and multi-line
// scalars) and count nothing.
func pastNodeLimit(content []byte) int {
	count, deeper := 0, -1
	for n := 1; len(content) > 0; n++ {
		var line []byte
		line, content, _ = bytes.Cut(content, []byte("\n"))
		line = bytes.TrimRight(line, "\r")
		body := bytes.TrimLeft(line, " ")
		indent := len(line) - len(body)
		if len(body) == 0 || body[0] == '#' {
			continue
		}
		if deeper >= 0 && indent > deeper {
			continue
		}
		deeper = -1
		if bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("...")) {
			if rest := bytes.TrimSpace(line[3:]); len(rest) > 0 && rest[0] != '#' {
				return 0
			}
			count = 0 // the limit is per document
			continue
		}
		// parent is the column a value on this line belongs to: a key's,
		// or a bare item's dash.
		col, parent := indent, indent
		for len(body) > 0 && body[0] == '-' && (len(body) == 1 || body[1] == ' ') {
			count++ // an item
			parent = col
			rest := bytes.TrimLeft(body[1:], " ")
			col += len(body) - len(rest)
			body = rest
		}
		value := body
		if m := keyRE.FindSubmatchIndex(body); m != nil {
			count++ // the key's value
			parent = col
			value = bytes.TrimLeft(body[m[1]:], " ")
		} else if len(body) > 0 && bytes.ContainsAny(body, "\"'[]{}?\t") {
			return 0 // a quoted or complex key, a flow collection: not for a line scan
		}
		if count > MaxNodes {
			return n
		}
		value = propsRE.ReplaceAll(value, nil)
		if len(value) == 0 || value[0] == '#' {
			continue // its content is on the lines below
		}
		if !closedOnLine(value) {
			return 0
		}
		deeper = parent // anything deeper continues this value
	}
	return 0
}

var (
	// keyRE is a plain mapping key and its colon.
	keyRE = regexp.MustCompile(`^[^\s#'"\[\]{},&*!|>%@` + "`" + `?][^#'"\[\]{}]*?:(?:\s|$)`)
	// propsRE are the anchor and tag in front of a value.
	propsRE = regexp.MustCompile(`^(?:(?:[&!][^\s]*)\s*)+`)
)

// closedOnLine reports whether a value that starts with a quote or a
// bracket ends on its line.
func closedOnLine(v []byte) bool {
	switch v[0] {
	case '"':
		for i := 1; i < len(v); i++ {
			if v[i] == '\\' {
				i++
			} else if v[i] == '"' {
				return true
			}
		}
		return false
	case '\'':
		return bytes.Count(v, []byte("'"))%2 == 0
	case '[', '{':
		depth, quote := 0, byte(0)
		for i := 0; i < len(v); i++ {
			c := v[i]
			switch {
			case quote == '"' && c == '\\':
				i++
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '[' || c == '{':
				depth++
			case c == ']' || c == '}':
				depth--
			}
		}
		return depth <= 0 && quote == 0
	}
	return true
}
