package ocr

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"

	"errors"
	"flag"
	"fmt"
	"github.com/authmethods/authmethods/urlcodec"
	"sort"
	"strings"
	"testing"
	"time"
)

var accuracy = flag.Bool("accuracy", false, "read every rendered scene variant and report accuracy per scene (slow: minutes)")

// variant is one way a scene is rendered.
type variant struct {
	px      float64
	dark    bool
	format  string
	quality int
}

func (v variant) String() string {
	theme := "light"
	if v.dark {
		theme = "dark"
	}
	s := fmt.Sprintf("%gpx-%s-%s", v.px, theme, v.format)
	if v.format == "jpeg" {
		s += fmt.Sprint(v.quality)
	}
	return s
}

// variants are the renderings TestAccuracy reads: sizes of UI text at 96
// DPI (12 to 16 pixels) and larger, both themes, PNG and a JPEG of middling
// quality, as chat apps recompress screenshots, and a poor JPEG of the
// smallest text.
func variants() []variant {
	var vs []variant
	for _, px := range []float64{12, 13, 16, 20} {
		for _, dark := range []bool{false, true} {
			vs = append(vs, variant{px, dark, "png", 0}, variant{px, dark, "jpeg", 70})
			if px == 12 {
				// A chat app that recompresses hard.
				vs = append(vs, variant{px, dark, "jpeg", 40})
			}
		}
	}
	return vs
}

// check returns what is wrong with hits for a scene that should give ws.
func check(hits []Hit, ws []want) error {
	if len(hits) != len(ws) {
		return fmt.Errorf("got %d hits, want %d: %s", len(hits), len(ws), describe(hits))
	}
	for i, w := range ws {
		h := hits[i]
		switch {
		case w.cutOff:
			if !errors.Is(h.Err, ErrCutOff) {
				return fmt.Errorf("hit %d: want cut off, got %s", i, describe(hits[i:i+1]))
			}
		case !w.trusted && errors.Is(h.Err, ErrAmbiguous):
			// Not trusted: the readings of a lookalike host disagreed.
		case h.Link == nil:
			return fmt.Errorf("hit %d: want mask %d, got %s", i, w.mask, describe(hits[i:i+1]))
		case uint32(h.Link.Mask) != w.mask || h.Link.Verdict.Trusted != w.trusted:
			return fmt.Errorf("hit %d: want mask %d trusted=%v, got %s", i, w.mask, w.trusted, describe(hits[i:i+1]))
		}
		if h.Link != nil && !hasCheckHost(h) {
			return fmt.Errorf("hit %d: no warning to check the host against the image: %q", i, h.Warnings)
		}
	}
	return nil
}

func hasCheckHost(h Hit) bool {
	for _, w := range h.Warnings {
		if w == WarnCheckHost(h.Link.Host) {
			return true
		}
	}
	return false
}

func describe(hits []Hit) string {
	var parts []string
	for _, h := range hits {
		switch {
		case h.Link != nil:
			parts = append(parts, fmt.Sprintf("[%d on %s trusted=%v from %q]", h.Link.Mask, h.Link.Host, h.Link.Verdict.Trusted, h.Read))
		default:
			parts = append(parts, fmt.Sprintf("[error %v from %q]", h.Err, h.Read))
		}
	}
	return strings.Join(parts, " ")
}

// TestAccuracy reads every scene in every variant and reports, per scene,
// how many decode right; it fails when fewer than minAccuracy of all do.
// Run it with: go test ./urlcodec/ocr -run TestAccuracy -accuracy -v -timeout 30m
// (it outlasts go test's default 10 minutes on a 2-core machine).
func TestAccuracy(t *testing.T) {
	if !*accuracy {
		t.Skip("slow; run with -accuracy")
	}
	needTesseract(t)
	const minAccuracy = 0.9
	// falseTrust counts links on a lookalike host that came out trusted.
	type tally struct{ right, bare, all, falseTrust, bareFalseTrust int }
	per := map[string]*tally{}
	var total tally
	var elapsed, bareElapsed time.Duration
	dir := t.TempDir()
	for _, s := range scenes {
		per[s.name] = &tally{}
		for _, v := range variants() {
			data := encode(s.draw(v.px, v.dark), v.format, v.quality)
			start := time.Now()
			hits, err := Read(context.Background(), data)
			elapsed += time.Since(start)
			if err == nil {
				err = check(hits, s.want)
			}
			if trustsLookalike(hits, s.want) {
				per[s.name].falseTrust++
				total.falseTrust++
			}
			per[s.name].all++
			total.all++
			// The bare call, piped into urlcodec as "tesseract shot.png
			// stdout | authmethods decode" would be.
			start = time.Now()
			right, falseTrust := bareRight(t, dir, data, s.want)
			if right {
				per[s.name].bare++
				total.bare++
			}
			if falseTrust {
				per[s.name].bareFalseTrust++
				total.bareFalseTrust++
			}
			bareElapsed += time.Since(start)
			if err != nil {
				t.Logf("%s %s: %v", s.name, v, err)
				continue
			}
			per[s.name].right++
			total.right++
		}
	}
	names := make([]string, 0, len(per))
	for n := range per {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("%-18s %6s %6s  lookalike trusted: Read, bare", "scene", "Read", "bare")
	for _, n := range names {
		t.Logf("%-18s %2d/%-3d %2d/%-3d  %d, %d", n, per[n].right, per[n].all, per[n].bare, per[n].all, per[n].falseTrust, per[n].bareFalseTrust)
	}
	t.Logf("%-18s %2d/%-3d %2d/%-3d  %d, %d", "all", total.right, total.all, total.bare, total.all, total.falseTrust, total.bareFalseTrust)
	t.Logf("Read %.0f%%, %v per image; bare tesseract piped into urlcodec.Extract %.0f%%, %v per image",
		100*float64(total.right)/float64(total.all), elapsed/time.Duration(total.all),
		100*float64(total.bare)/float64(total.all), bareElapsed/time.Duration(total.all))
	if total.falseTrust > 0 {
		t.Errorf("%d links on a lookalike host came out trusted", total.falseTrust)
	}
	if float64(total.right) < minAccuracy*float64(total.all) {
		t.Errorf("accuracy %d/%d is under %.0f%%", total.right, total.all, minAccuracy*100)
	}
}

// trustsLookalike reports a scene with a lookalike host whose links came
// out trusted.
func trustsLookalike(hits []Hit, ws []want) bool {
	for i, w := range ws {
		if w.cutOff || w.trusted || i >= len(hits) {
			continue
		}
		if l := hits[i].Link; l != nil && l.Verdict.Trusted {
			return true
		}
	}
	return false
}

// bareRight reports whether the bare Tesseract call on data, its text
// given to urlcodec.Extract, gives the scene's links (a cut-off address
// counts as right only when no number is read from it), and whether it
// trusted a lookalike host.
func bareRight(t *testing.T, dir string, data []byte, ws []want) (right, falseTrust bool) {
	path := filepath.Join(dir, "shot")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("tesseract", path, "stdout").Output()
	if err != nil {
		t.Fatal(err)
	}
	var links []*urlcodec.Link
	for _, h := range urlcodec.Extract(string(out)) {
		if h.Link != nil {
			links = append(links, h.Link)
		}
	}
	for i, w := range ws {
		if !w.cutOff && !w.trusted && i < len(links) && links[i].Verdict.Trusted {
			falseTrust = true
		}
	}
	if len(ws) == 1 && ws[0].cutOff {
		return len(links) == 0, falseTrust
	}
	if len(links) != len(ws) {
		return false, falseTrust
	}
	for i, w := range ws {
		if uint32(links[i].Mask) != w.mask || links[i].Verdict.Trusted != w.trusted {
			return false, falseTrust
		}
	}
	return true, falseTrust
}
