package source

import (
	"errors"
	"strings"
	"testing"
)

// TestEnvFileErrorsLocateWithoutContent: a malformed env file is reported
// at the line of the mistake, and never with the secret it holds.
func TestEnvFileErrorsLocateWithoutContent(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		line          int
	}{
		{"unterminated", "A=1\nPOSTGRES_PASSWORD=\"hunter2-secret\nB=2\nC=3\n", 2},
		{"after a multi-line value", "A=\"one\ntwo\"\nTOKEN='hunter2-secret\nB=2\n", 3},
		{"bad name", "A=1\n\nBAD$NAME=hunter2-secret\n", 3},
		{"space in name", "A=1\nMY KEY=hunter2-secret\n", 2},
	} {
		_, err := ParseEnvFile("/p/.env", []byte(tc.content))
		var ee *EnvFileError
		if !errors.As(err, &ee) {
			t.Errorf("%s: error %v, want an *EnvFileError", tc.name, err)
			continue
		}
		if ee.Line != tc.line || strings.Contains(err.Error(), "hunter2") || !strings.HasPrefix(err.Error(), "/p/.env:") {
			t.Errorf("%s: %q at line %d; want line %d, the file, and no content", tc.name, err, ee.Line, tc.line)
		}
	}
	vars, err := ParseEnvFile("/p/.env", []byte("A=1\nB=\"two\nlines\"\n"))
	if err != nil || vars["B"] != "two\nlines" {
		t.Errorf("a valid file: %v %q", err, vars)
	}
}
