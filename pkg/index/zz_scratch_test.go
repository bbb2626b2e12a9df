package index

import "testing"

func TestScratchFull(t *testing.T) {
	ps := readProjects(t, "/tmp/fullcorpus")
	selfCheck(t, "/tmp/fullcorpus", ps)
}

func TestScratchMut(t *testing.T) {
	ps := readProjects(t, "/tmp/fullcorpus")
	mutationCheck(t, "/tmp/fullcorpus", ps)
}
