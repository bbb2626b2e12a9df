package source

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
)

// EnvFileError is an env file compose cannot parse: the file, the line and
// the kind of mistake, never the line itself (env files hold secrets).
type EnvFileError struct {
	Path string
	Line int
	Msg  string
}

func (e *EnvFileError) Error() string {
	return fmt.Sprintf("%s:%d: %s (the line is not shown: env files hold secrets)", e.Path, e.Line, e.Msg)
}

// ParseEnvFile parses an env file (`.env`, an `env_file`) as compose does.
// Its error is an *EnvFileError: compose-go's own quotes the value and,
// for an unterminated quote, counts lines to the end of the file.
func ParseEnvFile(path string, data []byte) (map[string]string, error) {
	vars, err := dotenv.ParseWithLookup(bytes.NewReader(data), nil)
	if err == nil {
		return vars, nil
	}
	return nil, &EnvFileError{Path: path, Line: envErrorLine(data), Msg: envErrorKind(err)}
}

// envErrorLine finds the line a parse error starts at: the line after the
// longest run of whole lines that still parses. (A quoted value may span
// lines, so a shorter run can fail where the file does not.)
func envErrorLine(data []byte) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	for n := len(lines) - 1; n > 0; n-- {
		if _, err := dotenv.ParseWithLookup(bytes.NewReader(bytes.Join(lines[:n], nil)), nil); err == nil {
			return n + 1
		}
	}
	return 1
}

// envErrorKind names a dotenv error without the content it quotes.
func envErrorKind(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unterminated quoted value"):
		return "unterminated quoted value: the quote that opens here is never closed"
	case strings.Contains(msg, "in variable name"):
		return "a variable name may hold only letters, digits, _ . - [ ]"
	case strings.Contains(msg, "key cannot contain a space"):
		return "a variable name cannot contain a space"
	}
	return "this line cannot be read as KEY=VALUE"
}
