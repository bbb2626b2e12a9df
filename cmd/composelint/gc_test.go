package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// restoreGC puts the test binary's collector back as it was.
func restoreGC(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
}

func TestTuneGCLeavesTheUsersSettings(t *testing.T) {
	restoreGC(t)
	t.Setenv("GOGC", "50")
	tuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, tuneGC changed GC percent to %d", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOGC set, tuneGC set a memory limit of %d", got)
	}
}

func TestTuneGCGivesTheDefaultBackToABigHeap(t *testing.T) {
	restoreGC(t)
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("tuneGC left GC percent at %d, want the floor (-1)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != gcFloor {
		t.Fatalf("tuneGC set a memory limit of %d, want %d", got, gcFloor)
	}
	big := make([]byte, gcFloor) // live, and past half the floor
	for range 200 {
		runtime.GC()
		if gcSetting("/gc/gogc:percent") == 100 {
			break
		}
		time.Sleep(5 * time.Millisecond) // the finalizer runs in its own goroutine
	}
	runtime.KeepAlive(big)
	if got := gcSetting("/gc/gogc:percent"); got != 100 {
		t.Errorf("with a live heap of %d bytes, GC percent is %d, want the default 100", len(big), got)
	}
	if got := gcSetting("/gc/gomemlimit:bytes"); got != math.MaxInt64 {
		t.Errorf("with a live heap past the floor, the memory limit is %d, want none", got)
	}
}

func TestOutgrown(t *testing.T) {
	for live, want := range map[uint64]bool{0: false, 4 << 20: false, gcFloor / 2: false, gcFloor/2 + 1: true, math.MaxUint64: true} {
		if got := outgrown(live); got != want {
			t.Errorf("outgrown(%d) = %v, want %v", live, got, want)
		}
	}
}

// gcSetting reads a setting of the collector without changing it.
func gcSetting(name string) uint64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
