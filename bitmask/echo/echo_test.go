package echo_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/bitmask/echo"
)

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"", 4, ""},
		{"abcd", 4, "abcd"},
		{"abcde", 4, "abcd…"},
		{"ab€", 4, "ab€"[:2] + "…"},             // € is 3 bytes: not split
		{"abc€", 4, "abc…"},                     // the cut falls inside €
		{"a€bcdef", 4, "a€…"},                   // the cut falls after €
		{strings.Repeat("\x80", 9), 4, "\x80…"}, // not UTF-8: at most 3 back
		{"abc", 0, "…"},
		{"abc", -1, "…"},
	}
	for _, tt := range tests {
		if got := echo.Clip(tt.s, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func ExampleClip() {
	fmt.Println(echo.Clip("passkey,sms", 64))
	fmt.Println(echo.Clip("https://mysignins.microsoft.com/register?authMethods=1976", 20))
	// Output:
	// passkey,sms
	// https://mysignins.mi…
}
