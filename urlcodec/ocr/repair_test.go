package ocr

import (
	"errors"
	"image"
	"slices"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/urlcodec"
)

// TestRepair pins each repair to what OCR was seen to read in the rendered
// scenes, and pins what must not be repaired: host letters, plain http,
// and a number whose last digit may be the '&'.
func TestRepair(t *testing.T) {
	const good = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"
	for _, tc := range []struct {
		name, in, want string
		warnings       []string
		ambiguous      string
	}{
		{"clean", good, good, nil, ""},
		{"space after dot", "https://mysignins. microsoft.com/register?authMethods=1976&authMethodCount=1", good, []string{warnSpaces}, ""},
		{"space before dot", "https: //mysignins.microsoft .com/register?authMethods=1976&authMethodCount=1", good, []string{warnSpaces}, ""},
		{"comma for dot", "https://mysignins,microsoft.com/register?authMethods=1976&authMethodCount=1", good, []string{warnComma}, ""},
		{"2 for ?", "https://mysignins.microsoft.com/register2authMethods=1976&authMethodCount=1", good, []string{`read "2" after /register as '?'`}, ""},
		{"7 for ?", "https://mysignins.microsoft.com/register7authMethods=1976&authMethodCount=1", good, []string{`read "7" after /register as '?'`}, ""},
		{"L for 1", "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=L", good, []string{warnDigit1}, ""},
		{"? dropped", "https://mysignins.microsoft.com/registerauthMethods=1976&authMethodCount=1", good, []string{warnNoQuery}, ""},
		{"G for &", "https://mysignins.microsoft.com/register?authMethods=1976GauthMethodCount=1", good, []string{warnG}, ""},
		{"&amp;", "https://mysignins.microsoft.com/register?authMethods=1976&amp;authMethodCount=1", good, []string{warnAmp}, ""},
		{"& dropped", "https://mysignins.microsoft.com/register?authMethods=1976authMethodCount=1", good, []string{warnNoAmp}, ""},
		{"space in a number", "https://mysignins.microsoft.com/register?authMethods=197 6&authMethodCount=1", good, []string{warnSpaces}, ""},
		{"spaces in query", "https://mysignins.microsoft.com/register? authMethods=1976& authMethodCount = 1", good, []string{warnSpaces}, ""},
		{"slash read as i", "hitps:/imysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", good,
			[]string{"read 'https:/i' as 'https://': check the first letter of the host against the image", `read the scheme "hitps" as "https"`}, ""},
		{"hittps", "[8 hittps://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", "[8 " + good, []string{`read the scheme "hittps" as "https"`}, ""},
		{"prose around", "Open 1) https://mysignins. microsoft.com/register?authMethods=1976&authMethodCount=1 now", "Open 1) " + good + " now", []string{warnSpaces}, ""},
		// Not repaired.
		{"8 may be the &", "https://mysignins.microsoft.com/register?authMethods=19768authMethodCount=1",
			"https://mysignins.microsoft.com/register?authMethods=19768authMethodCount=1", nil, "authMethods=19768"},
		{"2 may be the &", "https://mysignins.microsoft.com/register?authMethods=32authMethodCount=1",
			"https://mysignins.microsoft.com/register?authMethods=32authMethodCount=1", nil, "authMethods=32"},
		{"4 may be the &", "mysignins.microsoft.com/register?authMethods=484authMethodCount=1",
			"mysignins.microsoft.com/register?authMethods=484authMethodCount=1", nil, "authMethods=484"},
		{"host letters stay", "https://mysignins.micros0ft.com/register?authMethods=1976&authMethodCount=1",
			"https://mysignins.micros0ft.com/register?authMethods=1976&authMethodCount=1", nil, ""},
		{"http stays http", "http://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1",
			"http://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", nil, ""},
		{"comma and space is prose", "go to, mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1",
			"go to, mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", nil, ""},
		{"no slash before register", "mysignins.microsoft.comiregister?authMethods=1976&authMethodCount=1",
			"mysignins.microsoft.comiregister?authMethods=1976&authMethodCount=1", nil, ""},
		{"cut off stays cut off", "mysignins.microsoft.com/register?authMethods=19…", "mysignins.microsoft.com/register?authMethods=19…", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := repair(tc.in)
			if r.text != tc.want {
				t.Errorf("repair(%q)\n got %q\nwant %q", tc.in, r.text, tc.want)
			}
			if !slices.Equal(r.warnings, tc.warnings) {
				t.Errorf("warnings %q, want %q", r.warnings, tc.warnings)
			}
			if r.ambiguous != tc.ambiguous {
				t.Errorf("ambiguous %q, want %q", r.ambiguous, tc.ambiguous)
			}
		})
	}
}

// TestDistrustDisagreement pins when a genuine host read once is no longer
// trusted: another reading of the line names another host.
func TestDistrustDisagreement(t *testing.T) {
	const (
		genuine = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"
		rn      = "https://mysignins.rnicrosoft.com/register?authMethods=1976&authMethodCount=1"
		other   = "https://links.example/register?authMethods=48&authMethodCount=1"
	)
	r := new(Reader)
	read := func(text string) reading { return r.resolve(text, image.Rect(0, 0, 10, 10)) }
	for _, tc := range []struct {
		name     string
		best     string
		others   []string
		trusted  int // trusted links left in best
		distrust int // links turned into ErrAmbiguous
	}{
		{"readings agree", genuine, []string{genuine, genuine}, 1, 0},
		{"unreadable rereading", genuine, []string{"garbled"}, 1, 0},
		{"rn in one reading", genuine, []string{genuine, rn}, 0, 1},
		{"another number in one reading", genuine, []string{strings.Replace(genuine, "1976", "1978", 1)}, 0, 1},
		{"another count in one reading", genuine, []string{strings.Replace(genuine, "Count=1", "Count=7", 1)}, 0, 1},
		{"two links, same in both", genuine + " or " + other, []string{genuine + " or " + other}, 1, 0},
		{"two links, one read alone", genuine + " or " + other, []string{other}, 1, 0},
		{"two links, lookalike in the rereading", genuine + " or " + other, []string{rn + " or " + other}, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			best := read(tc.best)
			readings := []reading{best}
			for _, o := range tc.others {
				readings = append(readings, read(o))
			}
			best.distrustDisagreement(readings)
			trusted, distrust := 0, 0
			for _, h := range best.hits {
				if h.Link != nil && h.Link.Verdict.Trusted {
					trusted++
				}
				if errors.Is(h.Err, ErrAmbiguous) {
					distrust++
				}
			}
			if trusted != tc.trusted || distrust != tc.distrust {
				t.Errorf("trusted %d, ambiguous %d; want %d, %d", trusted, distrust, tc.trusted, tc.distrust)
			}
		})
	}
}

// TestResolve pins what one reading of a line gives: the number of a cut
// off address is never reported, nor a host that is genuine only once
// lower-cased, nor a number whose last digit may be the '&'.
func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		mask       uint32 // when a usable link is wanted
		err        error  // else
	}{
		{"genuine", "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", 1976, nil},
		{"ellipsis", "mysignins.microsoft.com/register?authMethods=19…", 0, ErrCutOff},
		{"dots for the ellipsis", "mysignins.microsoft.com/register?authMethods=19...", 0, ErrCutOff},
		{"no count at the end", "mysignins.microsoft.com/register?authMethods=19", 0, ErrCutOff},
		{"cut before the query", "mysignins.microsoft.com/regis…", 0, ErrCutOff},
		{"capital in the host", "https://mysignins.microsOft.com/register?authMethods=1976&authMethodCount=1", 0, ErrAmbiguous},
		{"8 may be the &", "https://mysignins.microsoft.com/register?authMethods=19768authMethodCount=1", 0, ErrAmbiguous},
		{"2 may be the &", "mysignins.microsoft.com/register?authMethods=82authMethodCount=1", 0, ErrAmbiguous},
		{"4 may be the &", "mysignins.microsoft.com/register?authMethods=164authMethodCount=1", 0, ErrAmbiguous},
		{"trailing l", "https://mysignins.microsoft.com/register?authMethods=1976l&authMethodCount=1", 0, ErrAmbiguous},
		{"trailing L on the count", "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1L", 0, ErrAmbiguous},
		{"lone l is 1", "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=l", 1976, nil},
		{"O inside the number", "https://mysignins.microsoft.com/register?authMethods=19O6&authMethodCount=1", 1906, nil},
		{"space in the host", "https: //mysignins microsoft .com/register?authMethods=1976&authMethodCount=1", 0, ErrAmbiguous},
		{"space in the host, two", "https: / /mysignins. microsof tt. com/register?authMethods=1976&authMethodCount=1", 0, ErrAmbiguous},
		{"prose before", "Open this: mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", 1976, nil},
		{"a path before", "see https://example.com/help then mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1", 1976, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := new(Reader).resolve(tc.line, image.Rect(0, 0, 10, 10))
			if len(got.hits) != 1 {
				t.Fatalf("%d hits, want 1: %s", len(got.hits), describe(got.hits))
			}
			h := got.hits[0]
			switch {
			case tc.err == nil && (h.Link == nil || uint32(h.Link.Mask) != tc.mask || !hasCheckHost(h)):
				t.Errorf("got %s, want mask %d with the host warning", describe(got.hits), tc.mask)
			case tc.err != nil && (h.Link != nil || !errors.Is(h.Err, tc.err)):
				t.Errorf("got %s, want %v", describe(got.hits), tc.err)
			}
		})
	}
}

// TestBetter pins which of two readings of a line is kept.
func TestBetter(t *testing.T) {
	ok := Hit{Link: new(urlcodec.Link)}
	bad := Hit{Err: ErrCutOff}
	for _, tc := range []struct {
		name    string
		r, than reading
		want    bool
	}{
		{"more valid", reading{[]Hit{ok}, 1}, reading{[]Hit{bad}, 0}, true},
		{"fewer valid", reading{[]Hit{bad}, 0}, reading{[]Hit{ok}, 1}, false},
		{"as many valid, less junk", reading{[]Hit{ok}, 1}, reading{[]Hit{ok, bad}, 1}, true},
		{"nothing over an unusable link", reading{}, reading{[]Hit{bad}, 0}, false},
	} {
		if got := tc.r.better(tc.than); got != tc.want {
			t.Errorf("%s: better = %v, want %v", tc.name, got, tc.want)
		}
	}
}
