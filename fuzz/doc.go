// Package fuzz holds the native Go fuzz targets over bitmask and urlcodec.
// Run one with, for example:
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzMaskRoundTrip$' -fuzztime 30s
//
// Seed corpora live in testdata/fuzz/<target>/ and run as ordinary tests
// with go test ./fuzz.
package fuzz
