package lsp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A small LSP client for the tests, written against the wire format (not
// the library the server uses): Content-Length framing, JSON-RPC 2.0.

type message struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

type client struct {
	t       testing.TB
	w       io.Writer
	wmu     sync.Mutex
	in      chan *message
	readErr chan error
	nextID  int
	queued  []*message // notifications read while waiting for something else
}

const waitLimit = 20 * time.Second

func newClient(t testing.TB, r io.Reader, w io.Writer) *client {
	c := &client{t: t, w: w, in: make(chan *message, 1000), readErr: make(chan error, 1)}
	go func() {
		br := bufio.NewReader(r)
		tp := textproto.NewReader(br)
		for {
			h, err := tp.ReadMIMEHeader()
			if err != nil {
				c.readErr <- err
				close(c.in)
				return
			}
			n, err := strconv.Atoi(h.Get("Content-Length"))
			if err != nil {
				c.readErr <- fmt.Errorf("bad Content-Length %q", h.Get("Content-Length"))
				close(c.in)
				return
			}
			body := make([]byte, n)
			if _, err := io.ReadFull(br, body); err != nil {
				c.readErr <- err
				close(c.in)
				return
			}
			var m message
			if err := json.Unmarshal(body, &m); err != nil {
				c.readErr <- fmt.Errorf("not JSON: %v: %s", err, body)
				close(c.in)
				return
			}
			c.in <- &m
		}
	}()
	return c
}

func (c *client) send(v any) {
	c.t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// start sends a request and returns its id.
func (c *client) start(method string, params any) int {
	c.t.Helper()
	c.nextID++
	c.send(map[string]any{"jsonrpc": "2.0", "id": c.nextID, "method": method, "params": params})
	return c.nextID
}

// call sends a request and returns its response; notifications that come
// first are queued.
func (c *client) call(method string, params any) *message {
	c.t.Helper()
	return c.response(c.start(method, params))
}

func (c *client) response(id int) *message {
	c.t.Helper()
	want := strconv.Itoa(id)
	deadline := time.After(waitLimit)
	for {
		select {
		case m, ok := <-c.in:
			if !ok {
				c.t.Fatalf("connection closed waiting for response %d: %v", id, <-c.readErr)
			}
			if m.Method != "" {
				c.queued = append(c.queued, m)
				continue
			}
			if string(m.ID) == want {
				return m
			}
		case <-deadline:
			c.t.Fatalf("no response to request %d", id)
		}
	}
}

// result calls and decodes the result into out (which may be nil).
func (c *client) result(method string, params, out any) {
	c.t.Helper()
	m := c.call(method, params)
	if m.Error != nil {
		c.t.Fatalf("%s: error %d: %s", method, m.Error.Code, m.Error.Message)
	}
	if out != nil {
		if err := json.Unmarshal(m.Result, out); err != nil {
			c.t.Fatalf("%s: result %s: %v", method, m.Result, err)
		}
	}
}

// wireDiag is a diagnostic as the client reads it.
type wireDiag struct {
	Range           wireRange `json:"range"`
	Severity        int       `json:"severity"`
	Code            string    `json:"code"`
	Source          string    `json:"source"`
	Message         string    `json:"message"`
	CodeDescription *struct {
		Href string `json:"href"`
	} `json:"codeDescription"`
}

type wireRange struct {
	Start wirePos `json:"start"`
	End   wirePos `json:"end"`
}

type wirePos struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

func (r wireRange) String() string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
}

type publication struct {
	URI         string     `json:"uri"`
	Version     *int       `json:"version"`
	Diagnostics []wireDiag `json:"diagnostics"`
}

func (p *publication) withCode(code string) []wireDiag {
	var out []wireDiag
	for _, d := range p.Diagnostics {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

// diagnostics waits for a publication for uri that satisfies ok.
func (c *client) diagnostics(uri string, ok func(*publication) bool) *publication {
	c.t.Helper()
	check := func(m *message) *publication {
		if m.Method != "textDocument/publishDiagnostics" {
			return nil
		}
		var p publication
		if err := json.Unmarshal(m.Params, &p); err != nil {
			c.t.Fatalf("publishDiagnostics: %v", err)
		}
		if p.URI != uri || !ok(&p) {
			return nil
		}
		return &p
	}
	for i, m := range c.queued {
		if p := check(m); p != nil {
			c.queued = append(c.queued[:i:i], c.queued[i+1:]...)
			return p
		}
	}
	deadline := time.After(waitLimit)
	var last []string
	for {
		select {
		case m, ok := <-c.in:
			if !ok {
				c.t.Fatalf("connection closed waiting for diagnostics of %s: %v", uri, <-c.readErr)
			}
			if p := check(m); p != nil {
				return p
			}
			c.queued = append(c.queued, m)
			if m.Method == "textDocument/publishDiagnostics" {
				last = append(last, string(m.Params))
			}
		case <-deadline:
			c.t.Fatalf("no matching diagnostics for %s; got:\n%s", uri, strings.Join(last, "\n"))
		}
	}
}

// Helpers for building params.

func docID(uri string) map[string]any { return map[string]any{"uri": uri} }

func pos(line, char int) map[string]any { return map[string]any{"line": line, "character": char} }

func rng(l1, c1, l2, c2 int) map[string]any {
	return map[string]any{"start": pos(l1, c1), "end": pos(l2, c2)}
}

func openParams(uri, text string, version int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "dockercompose", "version": version, "text": text}}
}

func changeParams(uri, text string, version int) map[string]any {
	return map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []any{map[string]any{"text": text}},
	}
}

// fullCaps are the capabilities of a capable client (VS Code's, in part).
var fullCaps = map[string]any{
	"workspace": map[string]any{
		"applyEdit":     true,
		"workspaceEdit": map[string]any{"documentChanges": true, "resourceOperations": []string{"create", "rename", "delete"}},
	},
	"textDocument": map[string]any{
		"codeAction": map[string]any{
			"codeActionLiteralSupport": map[string]any{"codeActionKind": map[string]any{"valueSet": []string{"quickfix", "source", "source.fixAll"}}},
			"resolveSupport":           map[string]any{"properties": []string{"edit"}},
			"dataSupport":              true,
		},
		"hover": map[string]any{"contentFormat": []string{"markdown", "plaintext"}},
		"publishDiagnostics": map[string]any{"versionSupport": true,
			"tagSupport": map[string]any{"valueSet": []int{1, 2}}, "codeDescriptionSupport": true},
		// A 3.17 capability that this server's protocol structures predate.
		"diagnostic": map[string]any{"dynamicRegistration": true, "relatedDocumentSupport": false},
	},
	"general": map[string]any{"positionEncodings": []string{"utf-16"}},
}

func (c *client) initialize(caps any, options any) {
	c.t.Helper()
	var res struct {
		Capabilities map[string]json.RawMessage `json:"capabilities"`
		ServerInfo   struct {
			Name string `json:"name"`
		} `json:"serverInfo"`
	}
	params := map[string]any{"processId": os.Getpid(), "rootUri": nil, "capabilities": caps}
	if options != nil {
		params["initializationOptions"] = options
	}
	c.result("initialize", params, &res)
	if res.ServerInfo.Name != "composelint" {
		c.t.Errorf("serverInfo.name = %q", res.ServerInfo.Name)
	}
	for _, k := range []string{"textDocumentSync", "hoverProvider", "codeActionProvider"} {
		if _, ok := res.Capabilities[k]; !ok {
			c.t.Errorf("capabilities lack %s: %v", k, res.Capabilities)
		}
	}
	c.notify("initialized", map[string]any{})
}

// copyTree copies the files of dir into a new temporary directory.
func copyTree(t *testing.T, dir string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	// t.TempDir may sit behind a symbolic link (macOS): use the real path,
	// as an editor would.
	real, err := filepath.EvalSymlinks(dst)
	if err != nil {
		t.Fatal(err)
	}
	return real
}

// writeFiles writes name → content files under a new temporary directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// applyEdits applies LSP text edits (ASCII text) to text.
func applyEdits(t *testing.T, text string, edits []wireEdit) string {
	t.Helper()
	// From the last edit to the first, so that offsets stay valid.
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		start := offsetOf(t, text, e.Range.Start)
		end := offsetOf(t, text, e.Range.End)
		text = text[:start] + e.NewText + text[end:]
	}
	return text
}

func offsetOf(t *testing.T, text string, p wirePos) int {
	t.Helper()
	off := 0
	for i := 0; i < p.Line; i++ {
		j := strings.IndexByte(text[off:], '\n')
		if j < 0 {
			t.Fatalf("line %d past the end", p.Line)
		}
		off += j + 1
	}
	return off + p.Character
}

type wireEdit struct {
	Range   wireRange `json:"range"`
	NewText string    `json:"newText"`
}

type wireAction struct {
	Title       string          `json:"title"`
	Kind        string          `json:"kind"`
	IsPreferred bool            `json:"isPreferred"`
	Diagnostics []wireDiag      `json:"diagnostics"`
	Edit        *wireWSEdit     `json:"edit"`
	Data        json.RawMessage `json:"data"`
}

type wireWSEdit struct {
	Changes         map[string][]wireEdit `json:"changes"`
	DocumentChanges []struct {
		Kind         string `json:"kind"` // "create" for CreateFile
		URI          string `json:"uri"`
		TextDocument *struct {
			URI     string `json:"uri"`
			Version *int   `json:"version"`
		} `json:"textDocument"`
		Edits []wireEdit `json:"edits"`
	} `json:"documentChanges"`
}

// editsFor returns the text edits of uri in a workspace edit.
func (e *wireWSEdit) editsFor(uri string) []wireEdit {
	if e == nil {
		return nil
	}
	if edits, ok := e.Changes[uri]; ok {
		return edits
	}
	for _, dc := range e.DocumentChanges {
		if dc.TextDocument != nil && dc.TextDocument.URI == uri {
			return dc.Edits
		}
	}
	return nil
}
