package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// A lint run allocates much and keeps little: compose-go builds and drops a
// model per environment, and what lives is a project or two (a few MB) and
// the findings. Go's default collector (GOGC=100) then runs whenever the heap
// doubles that small live set: about 230 times over the 388 files of the
// corpus, 15–18% of the CPU. Below gcFloor, the collector runs only when the
// heap reaches the floor; a project whose live heap passes half of it (a
// file of megabytes) gives the default back, so that no input makes the
// collector run back to back. A user's GOGC or GOMEMLIMIT is left alone.
const gcFloor = 32 << 20

// tuneGC sets the floor for this process.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcFloor)
	watchLiveHeap()
}

// watchLiveHeap checks the live heap after every collection (a finalizer
// runs once per cycle on an object made for it) and restores the default
// collector for good when the live heap outgrows the floor's half.
func watchLiveHeap() {
	sentinel := new([16]byte) // big enough not to be a tiny, batched allocation
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		if outgrown(liveHeap()) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			return
		}
		watchLiveHeap()
	})
}

// outgrown tells whether a live heap is too big for the floor.
func outgrown(live uint64) bool { return live > gcFloor/2 }

// liveHeap is the heap the last collection found alive.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return math.MaxUint64 // unknown: take the default
	}
	return s[0].Value.Uint64()
}
