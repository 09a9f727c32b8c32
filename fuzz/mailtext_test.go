package fuzz

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/urlcodec/mailtext"
)

// FuzzMailParts: Parts never panics and stays within its bounds; input that
// is neither a MIME message nor starts with a byte-order mark comes back as
// it is, in one part; a message's parts are text, each with a note, in
// document order by their IMAP sections; an error is an *Error after the
// parts before it; and the result depends on the input alone.
func FuzzMailParts(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		parts, err := mailtext.Parts(b)
		if err != nil {
			var e *mailtext.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want an *Error", err, err)
			}
		}
		again, err2 := mailtext.Parts(b)
		if !reflect.DeepEqual(parts, again) || (err == nil) != (err2 == nil) {
			t.Fatalf("two calls differ")
		}
		if len(parts) > mailtext.MaxParts {
			t.Fatalf("%d parts, over MaxParts", len(parts))
		}
		total := 0
		for _, p := range parts {
			total += len(p.Text)
		}
		if total > mailtext.MaxText {
			t.Fatalf("%d bytes of text, over MaxText", total)
		}
		if mailtext.IsOutlookMsg(b) && len(parts) == 1 && parts[0].Section == "" {
			if parts[0].Text != string(b) || err == nil {
				t.Fatalf("an unreadable .msg: %v, and its bytes not read as they are", err)
			}
			return
		}
		if !mailtext.IsMessage(b) && mailtext.BOM(b) == "" && !mailtext.IsOutlookMsg(b) {
			if len(parts) != 1 || parts[0] != (mailtext.Part{Text: string(b)}) || err != nil {
				t.Fatalf("text not returned as it is: %#v, %v", parts, err)
			}
			return
		}
		if mailtext.BOM(b) != "" && len(parts) == 1 && parts[0].Section == "" {
			return // text with a byte-order mark, converted
		}
		var prev []int
		for i, p := range parts {
			if !strings.HasPrefix(p.Type, "text/") || p.Note == "" {
				t.Fatalf("part %d: type %q, note %q: want text/… with a note", i, p.Type, p.Note)
			}
			sec := section(t, p.Section)
			if prev != nil && !less(prev, sec) {
				t.Fatalf("part %d: section %s does not come after the one before", i, p.Section)
			}
			prev = sec
		}
	})
}

// section parses an IMAP section number such as "2.1".
func section(t *testing.T, s string) []int {
	var out []int
	for _, f := range strings.Split(s, ".") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			t.Fatalf("section %q is not numbers from 1 joined by dots", s)
		}
		out = append(out, n)
	}
	if len(out) > 2*mailtext.MaxDepth+1 {
		t.Fatalf("section %q is deeper than the bounds allow", s)
	}
	return out
}

// less orders sections as they come in a message: 1 < 1.1 < 1.2 < 2.
func less(a, b []int) bool {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}
