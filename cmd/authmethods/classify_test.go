package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/urlcodec"
)

func TestClassify(t *testing.T) {
	type want struct {
		kind    string // "mask", "link" or "" for an error
		mask    bitmask.Mask
		trusted bool
	}
	tests := []struct {
		in   string
		want []want
	}{
		// Masks: whatever bitmask.Parse accepts.
		{"1976", []want{{"mask", 1976, false}}},
		{"0x30", []want{{"mask", 48, false}}},
		{"sms,fido2", []want{{"mask", 48, false}}},
		{`"password,sms"`, []want{{"mask", 17, false}}},
		{"passkey tap", []want{{"mask", 32 | 512 | 1024, false}}},
		{"none", []want{{"mask", 0, false}}},
		// Links, alone or in text.
		{"https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", []want{{"link", 1976, true}}},
		{"mysignins.microsoft.com/register?authMethods=48", []want{{"link", 48, true}}},
		{"https://mysignins.microsoft.com.evil.example/register?authMethods=48", []want{{"link", 48, false}}},
		{"go to https://mysignins.microsoft.com/register?authMethods=16&authMethodCount=1 then https://mysignins.microsoft.com/register?authMethods=32&authMethodCount=1.",
			[]want{{"link", 16, true}, {"link", 32, true}}},
		{`<a href="https://mysignins.microsoft.com/register?authMethods=1720&amp;authMethodCount=1">`, []want{{"link", 1720, true}}},
		// A link a mail client broke over lines is read whole, as a browser
		// would; lines that each hold a link, or text around one, are not.
		{"https://mysignins.microsoft.com/register?authMethods=19\n76&authMethodCount=1", []want{{"link", 1976, true}}},
		{"<https://mysignins.microsoft.com/register?authMethods=1976&\r\n\tauthMethodCount=1>", []want{{"link", 1976, true}}},
		{"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1\nhttps://mysignins.microsoft.com/register?authMethods=16&authMethodCount=1",
			[]want{{"link", 48, true}, {"link", 16, true}}},
		{"see:\nhttps://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1", []want{{"link", 48, true}}},
		{"https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1\nthanks, Sam", []want{{"link", 48, true}}},
		// Errors: a mistyped mask, text without a link, a broken link.
		{"smss", []want{{"", 0, false}}},
		{"hello there, nothing to see", []want{{"", 0, false}}},
		{"https://example.com/", []want{{"", 0, false}}},
		{"https://mysignins.microsoft.com/register?authMethods=abc", []want{{"", 0, false}}},
		{"", []want{{"", 0, false}}},
	}
	p := &urlcodec.Parser{}
	for _, tt := range tests {
		got := classify(p, tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("classify(%q): %d items, want %d: %+v", tt.in, len(got), len(tt.want), got)
			continue
		}
		for i, w := range tt.want {
			g := got[i]
			if w.kind == "" {
				if g.Err == nil {
					t.Errorf("classify(%q)[%d]: no error, want one (got %s %d)", tt.in, i, g.kind(), g.Mask)
				}
				continue
			}
			if g.Err != nil {
				t.Errorf("classify(%q)[%d]: %v", tt.in, i, g.Err)
				continue
			}
			if g.kind() != w.kind || g.Mask != w.mask {
				t.Errorf("classify(%q)[%d] = %s %d, want %s %d", tt.in, i, g.kind(), g.Mask, w.kind, w.mask)
			}
			if g.Link != nil && g.Link.Verdict.Trusted != w.trusted {
				t.Errorf("classify(%q)[%d]: trusted %v, want %v", tt.in, i, g.Link.Verdict.Trusted, w.trusted)
			}
		}
	}
}

func TestClassifyErrorSaysWhatIsWrong(t *testing.T) {
	p := &urlcodec.Parser{}
	// A mistyped mask gets the mask error, with its suggestion.
	it := classify(p, "smss")[0]
	if !errors.Is(it.Err, bitmask.ErrUnknownName) || errText(it.Err) != `unknown method name "smss" (did you mean "sms"?)` {
		t.Errorf("smss: %v", it.Err)
	}
	// Text without a link says so.
	if it := classify(p, "see https://example.com/x"); !errors.Is(it[0].Err, errNothing) {
		t.Errorf("text: %v", it[0].Err)
	}
	// A broken link gets the link error.
	it = classify(p, "https://mysignins.microsoft.com/register?authMethods=-4")[0]
	if !errors.Is(it.Err, urlcodec.ErrNegative) && !errors.Is(it.Err, urlcodec.ErrNotNumber) {
		t.Errorf("negative: %v", it.Err)
	}
}

func TestClassifyLine(t *testing.T) {
	p := &urlcodec.Parser{}
	tests := []struct {
		line  string
		kinds []string
		prose bool // the input started with text, not a mask
	}{
		{"", nil, false},
		{"   ", nil, false},
		{"1976", []string{"mask"}, false},
		{"sms, fido2", []string{"mask"}, false},
		// In text, only unmistakable masks: not words people write.
		{"1976", []string{"mask"}, true},
		{"sms, fido2", []string{"mask"}, true},
		{"Push", nil, true},
		{"Text", nil, true},
		{"Tap", nil, true},
		{"phone", nil, true},
		{"2", nil, true},
		{"Push", []string{"mask"}, false},
		{"Hi, please register here:", nil, false}, // text, not an error
		{"2025-09-01 GET /register?foo=1 200", nil, false},
		{"x https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1 y", []string{"link"}, true},
		{"a mysignins.microsoft.com/register?authMethods=16 b mysignins.microsoft.com/register?authMethods=32", []string{"link", "link"}, false},
	}
	for _, tt := range tests {
		got := classifyLine(p, tt.line, 7, !tt.prose)
		var kinds []string
		for _, it := range got {
			if it.Err != nil {
				t.Errorf("classifyLine(%q): %v", tt.line, it.Err)
			}
			if it.Line != 7 {
				t.Errorf("classifyLine(%q): line %d, want 7", tt.line, it.Line)
			}
			kinds = append(kinds, it.kind())
		}
		if len(kinds) != len(tt.kinds) {
			t.Errorf("classifyLine(%q) = %v, want %v", tt.line, kinds, tt.kinds)
			continue
		}
		for i := range kinds {
			if kinds[i] != tt.kinds[i] {
				t.Errorf("classifyLine(%q) = %v, want %v", tt.line, kinds, tt.kinds)
			}
		}
	}
}

// A link that each of many short lines continues ("a=" with '=' in it)
// is rejoined over at most maxJoins lines: each join copies the lines held
// so far, so that the bytes copied grow with the input, not with its
// square. The copies are counted, not timed.
func TestLineJoinerIsLinear(t *testing.T) {
	copied := func(chains, lines int) (in, held int) {
		j := &lineJoiner{p: new(urlcodec.Parser), fn: func(item) bool { return true }}
		n := int64(0)
		add := func(line string) {
			n++
			in += len(line)
			j.add([]byte(line), n)
			held += len(j.held)
		}
		for range chains {
			add("https://x.example/?authMethods=1&a=\n")
			for range lines {
				add("a=\n")
			}
		}
		j.flush()
		return in, held
	}
	for _, c := range []struct{ chains, lines int }{{1, 20000}, {100, 200}} {
		in, held := copied(c.chains, c.lines)
		if held > maxJoins*in {
			t.Errorf("%d links each over %d lines: %d bytes of input, %d bytes held while rejoining: not linear", c.chains, c.lines, in, held)
		}
	}
}

// A message that starts with a greeting which is also an alias ("Hello,"
// is Windows Hello for Business) is not read as a mask and more text; the
// alias alone, or a list of masks, still is.
func TestGreetingIsNoMask(t *testing.T) {
	const g = "https://mysignins.microsoft.com/register?authMethods=16&authMethodCount=1"
	tests := []struct{ in, want string }{
		{"Hello,\nplease register: " + g + "\n", "link 16"},
		{"Hello\n\nI got this: " + g + "\nThanks\n", "link 16"},
		{"Hello,\nthe link is gone\n", ""},
		{"hello\n", "mask 64"},
		{"Hello,\n\n", "mask 64"},
		{"passkey\nsms\n", "mask 32, mask 16"},
		{"push\n" + g + "\n", "link 16"}, // a heading over a link
		{"1976\n" + g + "\n", "mask 1976, link 16"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		run([]string{"decode", "--json"}, strings.NewReader(tt.in), &out, io.Discard)
		var got []string
		dec := json.NewDecoder(&out)
		for {
			var r struct {
				Kind        string `json:"kind"`
				AuthMethods uint32 `json:"authMethods"`
			}
			if dec.Decode(&r) != nil {
				break
			}
			got = append(got, fmt.Sprintf("%s %d", r.Kind, r.AuthMethods))
		}
		if strings.Join(got, ", ") != tt.want {
			t.Errorf("decode %q: %q, want %q", tt.in, strings.Join(got, ", "), tt.want)
		}
	}
}
