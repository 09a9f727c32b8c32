package urlcodec

import (
	"net/url"
	"testing"
)

// benchInputs is a realistic mix, mostly links exactly as Entra writes them
// (the observed masks, the built-in strengths' unions, single bits), and one
// in ten pasted the messy way: from chat without a scheme, from HTML mail
// with &amp;, and wrapped by Safe Links.
var benchInputs = func() []string {
	var in []string
	for _, m := range []string{"1976", "1960", "1720", "8544", "8288", "48", "16", "32", "128", "2048", "136", "1", "8", "26", "262143", "4294967295", "160", "64", "1976", "1960", "1720", "48", "32", "16", "8544", "8288", "2048"} {
		in = append(in, "https://mysignins.microsoft.com/register?authMethods="+m+"&authMethodCount=1")
	}
	return append(in,
		"mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1",
		"https://mysignins.microsoft.com/register?authMethods=1960&amp;authMethodCount=1",
		safeLinks,
	)
}()

func benchBytes(in []string) int64 {
	n := 0
	for _, s := range in {
		n += len(s)
	}
	return int64(n)
}

// BenchmarkParse reports per pass over benchInputs.
func BenchmarkParse(b *testing.B) {
	b.SetBytes(benchBytes(benchInputs))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchInputs {
			if _, err := Parse(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseNetURL is the baseline, what a program does with net/url
// alone, on the same inputs in the same loop. It reads the mask text only
// and repairs nothing, so it understands fewer of the inputs.
func BenchmarkParseNetURL(b *testing.B) {
	b.SetBytes(benchBytes(benchInputs))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchInputs {
			u, err := url.Parse(s)
			if err != nil {
				b.Fatal(err)
			}
			_ = u.Query().Get("authMethods")
		}
	}
}

// BenchmarkParseCanonical is the fast path alone.
func BenchmarkParseCanonical(b *testing.B) {
	b.SetBytes(int64(len(canonical)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(canonical); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseSafeLinks is the slow path: unwrapping and judging the
// wrapper.
func BenchmarkParseSafeLinks(b *testing.B) {
	b.SetBytes(int64(len(safeLinks)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(safeLinks); err != nil {
			b.Fatal(err)
		}
	}
}
