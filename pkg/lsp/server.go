// Package lsp is composelint's language server: diagnostics as you type,
// quick fixes and fix-all on save as code actions, and a rule's
// documentation on hover, over the Language Server Protocol on stdio.
//
// The wire (JSON-RPC 2.0 with Content-Length framing, a request released
// from the reader to run concurrently) is go.lsp.dev/jsonrpc2; the protocol
// structures are those of github.com/tliron/glsp/protocol_3_16 (LSP 3.16).
//
// Every open buffer is part of the overlay a project is linted with
// (project.Options.Overlay), so a change to an override re-lints and
// re-publishes its whole project. Lints run in one goroutine per project,
// debounced, always with the latest buffers; the reader never waits for
// them.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	protocol "github.com/tliron/glsp/protocol_3_16"
	"go.lsp.dev/jsonrpc2"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/rules"
)

// Options configure a server.
type Options struct {
	// Engine holds the rules; nil means every rule of pkg/rules.
	Engine *lint.Engine
	// Vars are interpolation values (as --env gives them); the client may
	// add more in initializationOptions.env.
	Vars map[string]string
	// OSEnv also interpolates from the process environment (as --os-env).
	OSEnv bool
	// Debounce is how long a lint waits after a change for more changes
	// (default 100ms; negative: no wait). Opening and saving lint at once.
	Debounce time.Duration
	// Log receives the server's log (editors show a server's stderr); nil
	// discards it.
	Log io.Writer
	// Version is reported in serverInfo.
	Version string
}

// Error codes of the protocol that jsonrpc2 does not define.
const (
	codeRequestCancelled jsonrpc2.Code = -32800
)

type lifecycle int

const (
	uninitialized lifecycle = iota
	running
	shutDown
)

// Server is one language server session.
type Server struct {
	opts   Options
	eng    *lint.Engine
	logger *log.Logger
	conn   jsonrpc2.Conn

	reqMu    sync.Mutex
	inflight map[string]context.CancelFunc // by request id: what $/cancelRequest cancels

	ctx  context.Context // ends when the session ends: lints stop publishing
	stop context.CancelFunc

	exitOnce sync.Once
	exited   chan struct{}

	// cache keeps loaded environments: a change to one file reloads only
	// the environments that load it.
	cache *load.Cache

	mu      sync.Mutex
	state   lifecycle
	caps    clientCaps
	vars    map[string]string
	osEnv   bool
	docs    map[string]*document // by absolute path
	workers map[string]*worker   // by project key
	// published holds what each project last published for a file:
	// path → project key → diagnostics. A file's publication joins them.
	published map[string]map[string][]protocol.Diagnostic

	pubMu sync.Mutex // orders publications: taken under mu, released after sending
}

// clientCaps are the client capabilities the server acts on.
type clientCaps struct {
	documentChanges bool // WorkspaceEdit.documentChanges
	createFiles     bool // … with CreateFile operations
	resolveEdit     bool // codeAction/resolve may fill in the edit
}

// New returns a server; Serve runs it.
func New(opts Options) *Server {
	eng := opts.Engine
	if eng == nil {
		eng = &lint.Engine{Rules: rules.All()}
	}
	if opts.Debounce == 0 {
		opts.Debounce = 100 * time.Millisecond
	}
	out := opts.Log
	if out == nil {
		out = io.Discard
	}
	vars := map[string]string{}
	for k, v := range opts.Vars {
		vars[k] = v
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Server{
		opts: opts, eng: eng, logger: log.New(out, "composelint lsp: ", log.LstdFlags),
		ctx: ctx, stop: stop, exited: make(chan struct{}), inflight: map[string]context.CancelFunc{},
		vars: vars, osEnv: opts.OSEnv, cache: &load.Cache{},
		docs: map[string]*document{}, workers: map[string]*worker{},
		published: map[string]map[string][]protocol.Diagnostic{},
	}
}

// Serve runs a session over in and out (stdin and stdout) and returns the
// exit code the protocol asks for: 0 when the client sent shutdown before
// exit (or before closing the stream), 1 otherwise.
func Serve(in io.Reader, out io.Writer, opts Options) int {
	return New(opts).Serve(in, out)
}

// Serve runs the session; see the package function.
func (s *Server) Serve(in io.Reader, out io.Writer) int {
	s.conn = jsonrpc2.NewConn(newTolerantStream(stdio{in, out}, s.logf), jsonrpc2.WithCodec(stdCodec{}))
	s.conn.Go(context.Background(), s.handle)
	select {
	case <-s.exited:
	case <-s.conn.Done():
		if err := s.conn.Err(); err != nil {
			s.logf("connection closed: %v", err)
		}
	}
	s.stop()
	s.mu.Lock()
	code := 1
	if s.state == shutDown {
		code = 0
	}
	s.mu.Unlock()
	// Close the stream without waiting for a reader that may be blocked on
	// a stdin that cannot be interrupted: the process is about to exit.
	closed := make(chan struct{})
	go func() {
		s.conn.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(200 * time.Millisecond):
	}
	return code
}

// stdio joins stdin and stdout into the connection's stream.
type stdio struct {
	in  io.Reader
	out io.Writer
}

func (s stdio) Read(p []byte) (int, error)  { return s.in.Read(p) }
func (s stdio) Write(p []byte) (int, error) { return s.out.Write(p) }
func (s stdio) Close() error {
	var errs []error
	if c, ok := s.in.(io.Closer); ok && s.in != os.Stdin {
		errs = append(errs, c.Close())
	}
	if c, ok := s.out.(io.Closer); ok && s.out != os.Stdout {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

func (s *Server) logf(format string, args ...any) {
	s.logger.Printf(format, args...)
}

// notify sends a notification; a failure (the client went away) is logged.
func (s *Server) notify(method string, params any) {
	if err := s.conn.Notify(s.ctx, method, params); err != nil && s.ctx.Err() == nil {
		s.logf("%s: %v", method, err)
	}
}

// handle dispatches one message. It runs on the reader goroutine: what may
// take time (code actions, hover waiting for a lint) releases it first with
// jsonrpc2.Async, and lints run in their own goroutines, so the reader
// never waits. No panic escapes: a call gets an internal error, a
// notification is logged.
func (s *Server) handle(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
	method := req.Method()
	isCall := req.IsCall()
	defer func() {
		if v := recover(); v != nil {
			s.logf("panic in %s: %v\n%s", method, v, debug.Stack())
			result = nil
			if isCall {
				err = jsonrpc2.Errorf(jsonrpc2.InternalError, "composelint: internal error in %s: %v", method, v)
			} else {
				err = nil
			}
		}
	}()
	params := append([]byte(nil), req.Params()...)

	if method == "exit" {
		s.exitOnce.Do(func() { close(s.exited) })
		return nil, nil
	}
	if method == "$/cancelRequest" {
		s.cancelRequest(params)
		return nil, nil
	}

	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	switch {
	case state == uninitialized && method != "initialize":
		if isCall {
			return nil, jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "the server is not initialized")
		}
		return nil, nil
	case state == running && method == "initialize":
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "the server is already initialized")
	case state == shutDown:
		if isCall {
			return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "the server is shut down")
		}
		return nil, nil
	}

	switch method {
	case "initialize":
		return s.initialize(params)
	case "initialized":
		return nil, nil
	case "shutdown":
		s.shutdown()
		return nil, nil
	case "textDocument/didOpen":
		s.didOpen(params)
		return nil, nil
	case "textDocument/didChange":
		s.didChange(params)
		return nil, nil
	case "textDocument/didSave":
		s.didSave(params)
		return nil, nil
	case "textDocument/didClose":
		s.didClose(params)
		return nil, nil
	case "workspace/didChangeWatchedFiles":
		s.didChangeWatchedFiles(params)
		return nil, nil
	case "workspace/didChangeConfiguration":
		s.didChangeConfiguration(params)
		return nil, nil
	case "textDocument/codeAction", "codeAction/resolve", "textDocument/hover":
		// These may wait for a lint, or run the fix engine: release the
		// reader, and let $/cancelRequest cancel them.
		rctx, done := s.track(req.ID())
		defer done()
		jsonrpc2.Async(ctx)
		switch method {
		case "textDocument/codeAction":
			return s.codeAction(rctx, params)
		case "codeAction/resolve":
			return s.resolveCodeAction(rctx, params)
		default:
			return s.hover(rctx, params)
		}
	}
	if isCall {
		return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not supported: %s", method)
	}
	return nil, nil // unknown notifications ($/setTrace, …) are ignored
}

// track gives a request a context that $/cancelRequest cancels, and the
// session's end. (It does not derive from the context jsonrpc2 hands the
// handler: that one is recycled when the handler returns.)
func (s *Server) track(id jsonrpc2.ID) (context.Context, func()) {
	ctx, cancel := context.WithCancel(s.ctx)
	key := idKey(id)
	s.reqMu.Lock()
	s.inflight[key] = cancel
	s.reqMu.Unlock()
	return ctx, func() {
		s.reqMu.Lock()
		delete(s.inflight, key)
		s.reqMu.Unlock()
		cancel()
	}
}

func idKey(id jsonrpc2.ID) string {
	if n, ok := id.Number(); ok {
		return fmt.Sprint(n)
	}
	str, _ := id.StringValue()
	return strconv.Quote(str)
}

func (s *Server) cancelRequest(params []byte) {
	var p struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(params, &p) != nil {
		return
	}
	var n int64
	var str string
	var key string
	switch {
	case json.Unmarshal(p.ID, &n) == nil:
		key = fmt.Sprint(n)
	case json.Unmarshal(p.ID, &str) == nil:
		key = strconv.Quote(str)
	default:
		return
	}
	s.reqMu.Lock()
	cancel := s.inflight[key]
	s.reqMu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// canceled is the error of a request the client canceled.
func canceled(ctx context.Context) error {
	return jsonrpc2.NewError(codeRequestCancelled, fmt.Sprintf("request canceled: %v", ctx.Err()))
}

func invalidParams(err error) error {
	return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
}

// initializationOptions are what a client may configure.
type initializationOptions struct {
	// Env holds interpolation values, as --env KEY=VALUE.
	Env map[string]string `json:"env"`
	// OSEnv also interpolates from the server's environment, as --os-env.
	OSEnv *bool `json:"osEnv"`
}

func (s *Server) initialize(params []byte) (any, error) {
	caps, iopts, err := readInitialize(params)
	if err != nil {
		return nil, invalidParams(err)
	}

	s.mu.Lock()
	s.state = running
	s.caps = caps
	for k, v := range iopts.Env {
		s.vars[k] = v
	}
	if iopts.OSEnv != nil {
		s.osEnv = *iopts.OSEnv
	}
	s.mu.Unlock()

	full := protocol.TextDocumentSyncKindFull
	yes := true
	no := false
	version := s.opts.Version
	if version == "" {
		version = "dev"
	}
	return protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: protocol.TextDocumentSyncOptions{
				OpenClose: &yes, Change: &full, Save: protocol.SaveOptions{IncludeText: &no},
			},
			HoverProvider: true,
			CodeActionProvider: protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, FixAllKind},
				ResolveProvider: &yes,
			},
		},
		ServerInfo: &protocol.InitializeResultServerInfo{Name: "composelint", Version: &version},
	}, nil
}

// readInitialize reads the client capabilities the server acts on, and the
// initialization options. Only those parts of InitializeParams are decoded:
// a capability of a newer protocol version, whatever its shape, cannot keep
// a client out.
func readInitialize(params []byte) (clientCaps, initializationOptions, error) {
	var p struct {
		Capabilities struct {
			Workspace struct {
				WorkspaceEdit *protocol.WorkspaceEditClientCapabilities `json:"workspaceEdit"`
			} `json:"workspace"`
			TextDocument struct {
				CodeAction *protocol.CodeActionClientCapabilities `json:"codeAction"`
			} `json:"textDocument"`
		} `json:"capabilities"`
		InitializationOptions json.RawMessage `json:"initializationOptions"`
	}
	var caps clientCaps
	var iopts initializationOptions
	if err := json.Unmarshal(params, &p); err != nil {
		return caps, iopts, err
	}
	if we := p.Capabilities.Workspace.WorkspaceEdit; we != nil {
		caps.documentChanges = we.DocumentChanges != nil && *we.DocumentChanges
		caps.createFiles = caps.documentChanges && slices.Contains(we.ResourceOperations, protocol.ResourceOperationKindCreate)
	}
	if ca := p.Capabilities.TextDocument.CodeAction; ca != nil && ca.ResolveSupport != nil {
		caps.resolveEdit = slices.Contains(ca.ResolveSupport.Properties, "edit")
	}
	// Options of another shape are ignored rather than refused.
	_ = json.Unmarshal(p.InitializationOptions, &iopts)
	return caps, iopts, nil
}

// didChangeConfiguration takes the client's settings, when they are of the
// initializationOptions shape (at the top, or under "composelint": Helix
// sends its `config` table again, VS Code a settings section), in place of
// the options it gave before, and lints every project again.
func (s *Server) didChangeConfiguration(params []byte) {
	var p struct {
		Settings json.RawMessage `json:"settings"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		s.logf("didChangeConfiguration: %v", err)
		return
	}
	opts, ok := readSettings(p.Settings)
	if !ok {
		return // another tool's settings, or none
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vars = maps.Clone(s.opts.Vars)
	if s.vars == nil {
		s.vars = map[string]string{}
	}
	maps.Copy(s.vars, opts.Env)
	s.osEnv = s.opts.OSEnv
	if opts.OSEnv != nil {
		s.osEnv = *opts.OSEnv
	}
	for _, w := range s.workers {
		s.schedule(w, 0)
	}
}

// readSettings reads options from settings: false when they hold none
// (neither env nor osEnv, at the top or under "composelint"). An env that
// is no object (Lua writes an empty table as []) sets no variable.
func readSettings(settings json.RawMessage) (initializationOptions, bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal(settings, &top) != nil {
		return initializationOptions{}, false
	}
	if own, ok := top["composelint"]; ok {
		top = nil
		if json.Unmarshal(own, &top) != nil {
			return initializationOptions{}, false
		}
	}
	env, hasEnv := top["env"]
	osEnv, hasOSEnv := top["osEnv"]
	if !hasEnv && !hasOSEnv {
		return initializationOptions{}, false
	}
	var opts initializationOptions
	_ = json.Unmarshal(env, &opts.Env)
	if hasOSEnv {
		var b bool
		if json.Unmarshal(osEnv, &b) == nil {
			opts.OSEnv = &b
		}
	}
	return opts, true
}

func (s *Server) shutdown() {
	s.mu.Lock()
	s.state = shutDown
	s.mu.Unlock()
	s.stop() // running lints finish without publishing
}
