package urlcodec

import "sync"

// Links are handed out from slabs: one allocation serves linkSlab parses.
// On the fast path the *Link is the only allocation, and profiling showed
// most of Parse's time going to the allocator and the collector (page
// zeroing and release) rather than to parsing; a slab makes that cost
// per-64 instead of per-link. The trade: a Link kept alive keeps its slab
// alive too (linkSlab × 192 bytes, 12 KiB), which is small beside what a
// caller holding many links holds anyway.
const linkSlab = 64

type slab struct {
	links []Link
}

var slabs = sync.Pool{New: func() any { return new(slab) }}

// newLink returns a zeroed Link that no one else holds.
func newLink() *Link {
	s := slabs.Get().(*slab)
	if len(s.links) == 0 {
		s.links = make([]Link, linkSlab)
	}
	l := &s.links[0]
	s.links = s.links[1:]
	slabs.Put(s)
	return l
}
