package lsp

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sendRaw writes one well-framed message whose body is exactly body.
func (c *client) sendRaw(body string) {
	c.t.Helper()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// nullIDResponse waits for a response with id null (the answer to a
// message whose id could not be read).
func (c *client) nullIDResponse() *message {
	c.t.Helper()
	deadline := time.After(waitLimit)
	for {
		select {
		case m, ok := <-c.in:
			if !ok {
				c.t.Fatalf("connection closed waiting for an error response: %v", <-c.readErr)
			}
			if m.Method == "" && (len(m.ID) == 0 || string(m.ID) == "null") {
				return m
			}
		case <-deadline:
			c.t.Fatal("no response with id null")
		}
	}
}

// TestBodyNotJSONIsParseError: a well-framed message whose body is not
// JSON gets -32700 with id null, and the session goes on; JSON that is no
// JSON-RPC message gets -32600.
func TestBodyNotJSONIsParseError(t *testing.T) {
	c, _ := startServer(t, Options{})
	c.initialize(fullCaps, nil)
	for _, tc := range []struct {
		body string
		code int
	}{
		{"this is not JSON", -32700},
		{`{"jsonrpc": "2.0", "id": 7, "method": `, -32700},
		{`{"hello": "world"}`, -32600},
		{`42`, -32600},
	} {
		c.sendRaw(tc.body)
		m := c.nullIDResponse()
		if m.Error == nil || m.Error.Code != tc.code {
			t.Errorf("body %q: got %+v, want error %d", tc.body, m.Error, tc.code)
		}
	}
	// Still serving.
	if m := c.call("textDocument/hover", map[string]any{"textDocument": docID("file:///x/compose.yaml"), "position": pos(0, 0)}); m.Error != nil {
		t.Errorf("hover after the bad messages: %+v", m.Error)
	}
}

// TestBrokenFrameEndsSession: a frame without a Content-Length header is
// the end of the session (nothing after it can be framed again).
func TestBrokenFrameEndsSession(t *testing.T) {
	code := exitCodeAfter(t, func(w io.WriteCloser) { fmt.Fprint(w, "this is no header\r\n\r\n{}") })
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
}

// TestSecretsNeverPublished: a value from .env that compose-go quotes in
// its error is published as the variable's name, in the diagnostic and in
// the hover of its rule.
func TestSecretsNeverPublished(t *testing.T) {
	compose := "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"${POSTGRES_PASSWORD}:5432\"\n"
	dir := writeFiles(t, map[string]string{".env": "POSTGRES_PASSWORD=s3cr3t-pw-xyz\n", "compose.yaml": compose})
	uri := pathToURI(filepath.Join(dir, "compose.yaml"))
	c, _ := startServer(t, Options{})
	c.initialize(fullCaps, nil)
	c.notify("textDocument/didOpen", openParams(uri, compose, 1))
	pub := c.diagnostics(uri, hasCode("compose-invalid"))
	for _, d := range pub.Diagnostics {
		if strings.Contains(d.Message, "s3cr3t") || !strings.Contains(d.Message, "${POSTGRES_PASSWORD}") {
			t.Errorf("published %q", d.Message)
		}
	}
	var hover json.RawMessage
	c.result("textDocument/hover", map[string]any{"textDocument": docID(uri), "position": pos(4, 10)}, &hover)
	if strings.Contains(string(hover), "s3cr3t") {
		t.Errorf("hover shows the secret: %s", hover)
	}
}
