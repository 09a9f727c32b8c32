package mailtext_test

import (
	"fmt"

	"github.com/authmethods/authmethods/urlcodec/mailtext"
)

// A saved message whose HTML part is base64: the text a plain search
// sees is letters and digits; Parts gives what the reader sees, and
// says where it came from.
func ExampleParts() {
	eml := "From: IT Service Desk <it@contoso.example>\r\n" +
		"Subject: Register security info\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/alternative; boundary=b\r\n" +
		"\r\n" +
		"--b\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n" +
		"\r\n" +
		"Register: https://mysignins.microsoft.com/register?authMethods=3D48&authMet=\r\n" +
		"hodCount=3D1\r\n" +
		"--b\r\n" +
		"Content-Type: text/html; charset=windows-1252\r\n" +
		"Content-Transfer-Encoding: base64\r\n" +
		"\r\n" +
		"PGEgaHJlZj0iaHR0cHM6Ly9ldmlsLmV4YW1wbGUveCI+UmVnaXN0ZXIgaGVyZTwvYT4=\r\n" +
		"--b--\r\n"
	parts, err := mailtext.Parts([]byte(eml))
	if err != nil {
		fmt.Println(err)
	}
	for _, p := range parts {
		fmt.Printf("%s %s: %s\n  %s\n", p.Section, p.Type, p.Note, p.Text)
	}
	// Output:
	// 1 text/plain: part 1 of the mail, text/plain, decoded from quoted-printable
	//   Register: https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1
	// 2 text/html: part 2 of the mail, text/html, decoded from base64 (charset windows-1252)
	//   <a href="https://evil.example/x">Register here</a>
}
