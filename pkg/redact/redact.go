// Package redact keeps values read from env files out of reports. Such a
// value can reach a message through interpolation, and dependencies quote
// what they were given (compose-go: `"<password>" is not an integer`): every
// message passes through a Redactor before anyone sees it.
package redact

import (
	"cmp"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Value is one variable read from an env file.
type Value struct {
	Name   string // the variable
	Value  string
	Source string // where it was read, as shown to the user (".env")
}

// minLength is the shortest value masked wherever it occurs; a shorter one
// ("1", "yes") is masked only as a whole word, so that a message about port
// 80 stays readable when some variable is "80".
const minLength = 4

// Redactor masks values in messages.
type Redactor struct {
	subs []sub
}

type sub struct {
	find    string // a value, or one of its quoted forms
	word    bool   // a short value: masked only as a whole word
	replace string
}

// New returns a redactor of values; nil when there is nothing to mask.
func New(values []Value) *Redactor {
	// Longer values first: a value that contains another is masked whole.
	values = slices.Clone(values)
	slices.SortStableFunc(values, func(a, b Value) int {
		return cmp.Or(cmp.Compare(len(b.Value), len(a.Value)), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Source, b.Source))
	})
	r := &Redactor{}
	seen := map[string]bool{}
	for _, v := range values {
		val := strings.TrimSpace(v.Value)
		if val == "" || seen[val] {
			continue
		}
		seen[val] = true
		repl := "${" + v.Name + "}"
		if v.Source != "" {
			repl += " (from " + v.Source + ")"
		}
		// Quoted forms first, so that `"secret"` becomes `${X} (from .env)`
		// without stray quotes.
		quoted := strconv.Quote(val)
		forms := []string{quoted, "'" + val + "'", "`" + val + "`", quoted[1 : len(quoted)-1], val}
		for i, f := range forms {
			if slices.Contains(forms[:i], f) {
				continue
			}
			r.subs = append(r.subs, sub{find: f, word: len(val) < minLength, replace: repl})
		}
	}
	if len(r.subs) == 0 {
		return nil
	}
	return r
}

// String masks every value in msg. A nil Redactor returns msg.
func (r *Redactor) String(msg string) string {
	if r == nil {
		return msg
	}
	for _, s := range r.subs {
		if !strings.Contains(msg, s.find) {
			continue
		}
		if !s.word {
			msg = strings.ReplaceAll(msg, s.find, s.replace)
			continue
		}
		msg = replaceWords(msg, s.find, s.replace)
	}
	return msg
}

// replaceWords replaces each occurrence of find in msg that no letter,
// digit, '_', '.' or '-' touches: port 80 is masked, 8080 and 80.1 are not.
func replaceWords(msg, find, replace string) string {
	var b strings.Builder
	last := 0
	for off := 0; ; {
		i := strings.Index(msg[off:], find)
		if i < 0 {
			break
		}
		start, end := off+i, off+i+len(find)
		before, _ := utf8.DecodeLastRuneInString(msg[:start])
		after, _ := utf8.DecodeRuneInString(msg[end:])
		if start > 0 && isValueRune(before) || end < len(msg) && isValueRune(after) {
			off = start + 1
			continue
		}
		b.WriteString(msg[last:start])
		b.WriteString(replace)
		last, off = end, end
	}
	if last == 0 {
		return msg
	}
	b.WriteString(msg[last:])
	return b.String()
}

// isValueRune tells whether r can continue a value such as a port, a host
// or a version: then a short value next to it is part of another word.
func isValueRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' || r == '.' || r == '-'
}

// secretName matches the names of variables that hold secrets by
// convention: POSTGRES_PASSWORD, DJANGO_SECRET_KEY, API_TOKEN, AWS_ACCESS_KEY_ID…
var secretName = regexp.MustCompile(`(?i)(pass|pwd|secret|token|key|credential|auth|private|salt|dsn|cert|cookie|session|signature)`)

// credentialURL matches a URL with a password in it (DATABASE_URL=postgres://u:pw@db/x).
var credentialURL = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://[^/@\s]*:[^/@\s]*@`)

// SecretNamed keeps the values that are secrets by their variable's name
// or by their form (a URL with a password). An address (an IP, localhost)
// is none whatever its name: Next.js names its server-only variables
// NEXT_PRIVATE_*, and masking 127.0.0.1 garbled advice to bind to it.
func SecretNamed(values []Value) []Value {
	var out []Value
	for _, v := range values {
		if val := strings.TrimSpace(v.Value); net.ParseIP(val) != nil || strings.EqualFold(val, "localhost") {
			continue
		}
		if secretName.MatchString(v.Name) || credentialURL.MatchString(v.Value) {
			out = append(out, v)
		}
	}
	return out
}

// interpolation matches what compose replaces in a file: ${…}, $NAME, $$.
var interpolation = regexp.MustCompile(`\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\$`)

// NotWrittenIn keeps the values that the files (the project's compose
// files) do not themselves write as a whole word outside ${…}. A value they
// write is no secret to whoever reads a report that quotes those files, and
// masking it only garbles names: taiga's POSTGRES_PASSWORD=taiga turned the
// service taiga-gateway into "${POSTGRES_PASSWORD} (from .env)-gateway".
func NotWrittenIn(values []Value, files [][]byte) []Value {
	texts := make([]string, len(files))
	for i, f := range files {
		texts[i] = interpolation.ReplaceAllString(string(f), " ")
	}
	var out []Value
	for _, v := range values {
		val := strings.TrimSpace(v.Value)
		if val == "" || !slices.ContainsFunc(texts, func(t string) bool { return containsWord(t, val) }) {
			out = append(out, v)
		}
	}
	return out
}

// containsWord tells whether word occurs in text with no letter, digit or
// underscore right before or after it.
func containsWord(text, word string) bool {
	for off := 0; ; {
		i := strings.Index(text[off:], word)
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(word)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		off = start + 1
	}
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
