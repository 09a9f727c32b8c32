package urlcodec

import (
	"net/url"
	"strconv"
	"testing"
)

// benchInputs is a realistic mix: mostly links exactly as Entra writes them
// (the observed masks and single bits), and one in ten pasted the messy way
// (chat without a scheme, HTML mail, Safe Links).
var benchInputs = func() []string {
	var in []string
	for _, m := range []string{"1976", "1960", "1720", "8544", "8288", "48", "16", "32", "128", "2048", "136", "1", "8", "26", "262143", "4294967295", "160", "64"} {
		in = append(in, "https://mysignins.microsoft.com/register?authMethods="+m+"&authMethodCount=1")
	}
	in = append(in,
		"mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1",
		"https://mysignins.microsoft.com/register?authMethods=1960&amp;authMethodCount=1",
	)
	return in
}()

func benchBytes(in []string) int64 {
	n := 0
	for _, s := range in {
		n += len(s)
	}
	return int64(n)
}

func BenchmarkParse(b *testing.B) {
	b.SetBytes(benchBytes(benchInputs))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchInputs {
			l, err := Parse(s)
			if err != nil || l.Mask == 0 {
				b.Fatal(s, err)
			}
		}
	}
}

// BenchmarkParseNetURL is the baseline: what a program would do with
// net/url alone, on the same inputs and in the same loop.
func BenchmarkParseNetURL(b *testing.B) {
	b.SetBytes(benchBytes(benchInputs))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchInputs {
			u, err := url.Parse(s)
			if err != nil {
				b.Fatal(err)
			}
			if v := u.Query().Get("authMethods"); v == "" {
				if _, err := strconv.ParseUint(v, 10, 32); err == nil {
					b.Fatal(s)
				}
			}
		}
	}
}
