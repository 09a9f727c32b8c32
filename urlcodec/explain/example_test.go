package explain_test

import (
	"fmt"

	"github.com/authmethods/authmethods/urlcodec"
	"github.com/authmethods/authmethods/urlcodec/explain"
)

// Explain a link for a helpdesk: the short answer.
func Example() {
	l, _ := (&urlcodec.Parser{}).Parse("https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1")
	x := explain.Link(l, explain.Options{})
	fmt.Println(x.Headline)
	fmt.Println(x.Asks)
	for _, m := range x.Methods {
		fmt.Printf("  %s: %s\n", m.Label, m.Advice)
	}
	fmt.Println(x.Tell)
	// Output:
	// Genuine: the link opens mysignins.microsoft.com, Microsoft's security-info page.
	// The link asks the user to register one of these 2 methods:
	//   SMS: the user sets it up alone
	//   FIDO2 key / passkey: the user sets it up alone
	// Tell the user: "The link is Microsoft's own: open it and set up one of the methods it offers, for example SMS or FIDO2 key / passkey."
}
