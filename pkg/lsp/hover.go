package lsp

import (
	"context"
	"encoding/json"
	"strings"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/composelint/composelint/pkg/rules"
)

// hover shows the documentation of the rules whose diagnostics cover the
// position, as markdown.
func (s *Server) hover(ctx context.Context, params []byte) (any, error) {
	var p protocol.HoverParams
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, invalidParams(err)
	}
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		return nil, invalidParams(err)
	}
	if err := s.await(ctx, path); err != nil {
		return nil, err
	}
	s.mu.Lock()
	hits := s.itemsIn(path)
	s.mu.Unlock()
	var docs []string
	var rng *protocol.Range
	seen := map[string]bool{}
	for _, h := range hits {
		if !contains(h.lsp.Range, p.Position) || seen[h.d.Rule] {
			continue
		}
		seen[h.d.Rule] = true
		r := s.eng.Rule(h.d.Rule)
		if r == nil {
			continue // not a rule: fix-failed, internal-error, …
		}
		docs = append(docs, rules.Markdown(r))
		if rng == nil {
			r := h.lsp.Range
			rng = &r
		}
	}
	if len(docs) == 0 {
		return nil, nil
	}
	return protocol.Hover{
		Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: strings.Join(docs, "\n---\n\n")},
		Range:    rng,
	}, nil
}
