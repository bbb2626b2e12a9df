package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"

	"go.lsp.dev/jsonrpc2"
)

// stdCodec encodes the payloads of messages with encoding/json, whose
// semantics (omitempty, custom MarshalJSON/UnmarshalJSON methods) the LSP
// structures of github.com/tliron/glsp/protocol_3_16 are written for; the
// default codec of jsonrpc2 is encoding/json/v2, which reads omitempty
// differently.
type stdCodec struct{}

func (stdCodec) Marshal(v any) ([]byte, error) {
	switch raw := v.(type) {
	case jsonrpc2.RawMessage:
		if raw == nil {
			return []byte("null"), nil
		}
		return raw, nil
	case json.RawMessage:
		if raw == nil {
			return []byte("null"), nil
		}
		return raw, nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func (stdCodec) Unmarshal(data []byte, v any) error {
	switch raw := v.(type) {
	case *jsonrpc2.RawMessage:
		*raw = append((*raw)[:0], data...)
		return nil
	case *json.RawMessage:
		*raw = append((*raw)[:0], data...)
		return nil
	}
	return json.Unmarshal(data, v)
}

// frameReader is the raw-frame access of jsonrpc2's header stream.
type frameReader interface {
	ReadFrame(ctx context.Context) ([]byte, int64, error)
}

// tolerantStream is jsonrpc2's Content-Length stream, except that a
// well-framed message which is not JSON-RPC does not end the session: it is
// answered with an error (id null), as JSON-RPC 2.0 asks, and reading goes
// on. Only a broken frame (no header, a short body) ends it.
type tolerantStream struct {
	jsonrpc2.Stream
	frames frameReader
	log    func(format string, args ...any)
}

func newTolerantStream(conn io.ReadWriteCloser, logf func(string, ...any)) jsonrpc2.Stream {
	s := jsonrpc2.NewHeaderStream(conn)
	fr, ok := s.(frameReader)
	if !ok {
		return s // a jsonrpc2 without raw frames: its own behaviour
	}
	return &tolerantStream{Stream: s, frames: fr, log: logf}
}

func (s *tolerantStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		frame, n, err := s.frames.ReadFrame(ctx)
		if err != nil {
			return nil, 0, err
		}
		// The frame lives in a buffer the next read reuses; the message
		// may outlive it (a request released with jsonrpc2.Async).
		body := bytes.Clone(frame)
		msg, err := jsonrpc2.DecodeMessage(body)
		if err == nil {
			return msg, n, nil
		}
		code, what := jsonrpc2.InvalidRequest, "Invalid Request: not a JSON-RPC 2.0 message"
		if !json.Valid(body) {
			code, what = jsonrpc2.ParseError, "Parse error: the message body is not JSON"
		}
		s.log("dropped a message of %d bytes: %v", len(body), err)
		if _, err := s.Write(ctx, jsonrpc2.NewResponse(jsonrpc2.ID{}, nil, jsonrpc2.NewError(code, what))); err != nil {
			return nil, 0, err
		}
	}
}
