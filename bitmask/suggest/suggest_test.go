package suggest

import (
	"fmt"
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"sms", "", 3},
		{"", "sms", 3},
		{"sms", "sms", 0},
		{"smss", "sms", 1},
		{"fdio", "fido", 1}, // adjacent swap is one slip
		{"passkee", "passkey", 1},
		{"kitten", "sitting", 3},
		{"mysignins", "mysingins", 1},
		{"ca", "abc", 3}, // OSA, not full Damerau: no edits of a swapped pair
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d; want %d (symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"sms", "fido2", "passkey", "voice", "email", "decode", "explain"}
	for _, tt := range []struct{ word, want string }{
		{"smss", "sms"},
		{"fdio2", "fido2"},
		{"pasky", "passkey"},
		{"x", ""},      // one letter is near nothing in particular
		{"banana", ""}, // far from everything
		{"decdoe", "decode"},
		{"", ""},
		{strings.Repeat("s", 1000), ""}, // bounded work on untrusted input
	} {
		if got := Closest(tt.word, names); got != tt.want {
			t.Errorf("Closest(%q) = %q; want %q", tt.word, got, tt.want)
		}
	}
}

func ExampleClosest() {
	fmt.Println(Closest("passkee", []string{"password", "passkey", "sms"}))
	// Output: passkey
}

func TestContains(t *testing.T) {
	tests := []struct {
		s, word string
		k       int
		want    bool
	}{
		{"login-micrsoft-com", "microsoft", 1, true}, // a letter dropped
		{"loginmircosoftcom", "microsoft", 1, true},  // two letters swapped
		{"microsoft", "microsoft", 0, true},
		{"mxcrxsoft", "microsoft", 1, false},
		{"", "microsoft", 1, false},
		{"evil", "microsoft", 3, false},
	}
	for _, tt := range tests {
		if got := Contains(tt.s, tt.word, tt.k); got != tt.want {
			t.Errorf("Contains(%q, %q, %d) = %v, want %v", tt.s, tt.word, tt.k, got, tt.want)
		}
	}
}
