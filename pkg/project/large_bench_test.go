package project_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/rules"
)

// manyServices is a valid compose file of n small services (~95 bytes each).
func manyServices(n int) string {
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range n {
		fmt.Fprintf(&b, "  svc%d:\n    image: nginx:1.25\n    restart: unless-stopped\n    environment:\n      ID: \"%d\"\n", i, i)
	}
	return b.String()
}

// BenchmarkLargeFile lints one 7.6 MB compose file (80,000 services, far
// past the node limit) and reports the peak heap per byte of input: memory
// must stay proportional to the input (target: under 20x its size).
func BenchmarkLargeFile(b *testing.B) {
	dir := b.TempDir()
	content := manyServices(80_000)
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
	eng := &lint.Engine{Rules: rules.All()}
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		done := make(chan struct{})
		sampled := make(chan uint64)
		go samplePeak(done, sampled)
		targets, err := project.Resolve([]string{dir}, project.Options{Rule: eng.Rule})
		if err != nil {
			b.Fatal(err)
		}
		p, err := targets[0].Load()
		if err != nil {
			b.Fatal(err)
		}
		eng.Run(p)
		close(done)
		if s := <-sampled; s-before.HeapAlloc > peak {
			peak = s - before.HeapAlloc
		}
	}
	b.ReportMetric(float64(len(content)), "input-bytes")
	b.ReportMetric(float64(peak)/float64(len(content)), "peak-heap/input")
}

// samplePeak reports the largest HeapAlloc seen until done closes.
func samplePeak(done <-chan struct{}, out chan<- uint64) {
	var peak uint64
	var m runtime.MemStats
	for {
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapAlloc)
		select {
		case <-done:
			out <- peak
			return
		default:
			runtime.Gosched()
		}
	}
}
