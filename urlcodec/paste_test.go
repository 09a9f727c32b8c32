package urlcodec

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestPasteShapes: text as helpdesk staff paste it from chat, tickets and
// mail programs. Each hit is summed up as "MASK trusted", "MASK untrusted
// REASON" (its first reason) or "error", in order.
func TestPasteShapes(t *testing.T) {
	const g = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"
	tests := []hitsTest{
		// WhatsApp exports mark direction with U+200E, and chat apps put
		// U+200B around links; a linkifier stops at them, so the link is
		// what comes before.
		{"whatsapp export trailing LRM", "30/11/2026, 09:18 - Bob: " + g + "\u200e\n", []string{"1976 trusted"}},
		{"zero width space around", "\u200b" + g + "\u200b", []string{"1976 trusted"}},
		{"no scheme, ZWSP first", "see \u200bmysignins.microsoft.com/register?authMethods=48\u2060", []string{"48 trusted"}},
		{"BOM glued after", g + "\ufeff", []string{"1976 trusted"}},
		// Outlook and Word turn <a href=H>T</a> into "T<H>" in plain
		// text: the reader of the mail saw T and opened H.
		{"outlook plain text, genuine shown over evil", "Sent: Monday\r\n\r\n" + g + "<https://mysignins-microsoft.com.auth-reg.io/register?authMethods=48&authMethodCount=1>\r\n", []string{"48 untrusted link-text", "48 untrusted lookalike"}},
		{"outlook plain text, text over genuine", "Please click Register now<" + g + "> to set up", []string{"1976 trusted"}},
		{"outlook plain text, safe links href", g + "<https://eur03.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmysignins.microsoft.com%2Fregister%3FauthMethods%3D1976%26authMethodCount%3D1&data=05%7C02&reserved=0>", []string{"1976 trusted", "1976 trusted"}},
		{"angle brackets after a space are another link", g + " <https://example.com/>", []string{"1976 trusted"}},
		// Jira and Confluence wiki markup: [text|href] opens href, and
		// {noformat} or {code} around a link is no part of it.
		{"jira, genuine shown over evil", "[" + g + "|https://evil.example/r]", []string{"1976 untrusted link-text"}},
		{"jira, words and genuine over evil", "[Register at " + g + "|https://evil.example/r]", []string{"1976 untrusted link-text"}},
		{"jira, text over genuine", "[Register here|" + g + "]", []string{"1976 trusted"}},
		{"jira, genuine over itself", "[" + g + "|" + g + "]", []string{"1976 trusted", "1976 trusted"}},
		// Another URL as the text: outside Jira a linkifier runs it on over
		// '|', and the register link is part of it.
		{"jira-like, another URL as the text", "[https://evil.example/?u=|" + g + "]", []string{"1976 untrusted embedded"}},
		{"jira noformat", "{noformat}" + g + "{noformat}", []string{"1976 trusted"}},
		{"jira noformat, no count", "{noformat}https://mysignins.microsoft.com/register?authMethods=48{noformat}", []string{"48 trusted"}},
		// A pipe between masks is a list the wizard gets whole.
		{"list of masks", "https://mysignins.microsoft.com/register?authMethods=16|32", []string{"error"}},
	}
	checkHits(t, tests)
}

// A hitsTest is an input and the summaries of its hits (see hitSummary).
type hitsTest struct {
	name, in string
	want     []string
}

// checkHits runs Extract on each test's input and compares the summaries
// of its hits, in order.
func checkHits(t *testing.T, tests []hitsTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, h := range Extract(tt.in) {
				got = append(got, hitSummary(h))
			}
			if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
				t.Errorf("Extract(%q):\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func hitSummary(h Hit) string {
	switch {
	case h.Err != nil:
		return "error"
	case h.Link.Verdict.Trusted:
		return fmt.Sprintf("%d trusted", h.Link.Mask)
	case len(h.Link.Verdict.Reasons) == 0:
		return fmt.Sprintf("%d untrusted", h.Link.Mask)
	}
	return fmt.Sprintf("%d untrusted %s", h.Link.Mask, h.Link.Verdict.Reasons[0].Code)
}

// Slack's message source escapes '&' in a link as "&amp;": the ';' of the
// reference is no field separator, so the whole link is read.
func TestSlackSourceEscapedAmpersand(t *testing.T) {
	in := "<https://mysignins.microsoft.com/register?authMethods=48&amp;authMethodCount=1|the register link>"
	hits := Extract(in)
	if len(hits) != 1 || hits[0].Link == nil {
		t.Fatalf("Extract(%q) = %v", in, hits)
	}
	l := hits[0].Link
	if !l.Verdict.Trusted || l.Mask != 48 || !l.HasCount || l.Count != 1 {
		t.Errorf("Extract(%q): trusted %v, mask %d, count %v; want trusted, 48, 1 (warnings %q)", in, l.Verdict.Trusted, l.Mask, l.Count, l.Warnings)
	}
}

// A link read from a syntax other than Markdown is named by it, not as
// Markdown (markupAround parses it in Markdown's form).
func TestLightMarkupNamed(t *testing.T) {
	const g = "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"
	for in, kind := range map[string]string{
		g + "<" + g + ">":          "outlook-text",
		"[" + g + "|" + g + "]":    "jira",
		`"` + g + `":` + g:         "textile",
		"`" + g + " <" + g + ">`_": "rst",
		"[" + g + " " + g + "]":    "mediawiki",
	} {
		named := slices.ContainsFunc(Extract(in), func(h Hit) bool {
			return h.Link != nil && h.Link.Verdict.Trusted && slices.Contains(h.Link.Wrapped, kind) &&
				slices.ContainsFunc(h.Link.Warnings, func(w string) bool { return strings.Contains(w, "from its "+kind+" markup") })
		})
		if !named {
			t.Errorf("Extract(%q): no trusted hit read from %s markup: %v", in, kind, Extract(in))
		}
	}
}

// TestRenderedShapes: links in Markdown, Textile and chat text, each with
// what every renderer tried (markdown-it, commonmark.js, marked, linkify-it,
// textile-js) opens from it: a hit is trusted only when all of them open the
// genuine register page with the mask reported.
func TestRenderedShapes(t *testing.T) {
	const (
		g     = "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"
		g1976 = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"
		ns    = "mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"
		evil  = "https://evil.example/register?authMethods=99&authMethodCount=1"
	)
	tests := []hitsTest{
		// A link without a scheme as a Markdown link's text: the '[' that
		// opens the text is no part of the link, and the href is opened.
		{"md no scheme text, title", "[" + ns + "](" + evil + ` "t")`, []string{"99 untrusted link-text", "99 untrusted embedded"}},
		{"md no scheme text, reference", "[" + ns + "][r]\n\n[r]: " + evil, []string{"99 untrusted link-text", "99 untrusted not-microsoft"}},
		{"md no scheme text, shortcut", "[" + ns + "]\n\n[" + ns + "]: " + evil, []string{"99 untrusted link-text", "99 untrusted link-text", "99 untrusted not-microsoft"}},
		{"md no scheme text, angle href", "[" + ns + "](<" + evil + ">)", []string{"99 untrusted link-text", "99 untrusted not-microsoft"}},
		// Code spans, autolinks and HTML tags bind tighter than link
		// brackets: a ']' in them does not close the link text.
		{"md ] in code span in text", "[" + g + " `]`](" + evil + ")", []string{"99 untrusted link-text", "99 untrusted not-microsoft"}},
		{"md ] in html attribute in text", "[" + g + ` <span title="]">x</span>](` + evil + ")", []string{"99 untrusted link-text", "99 untrusted not-microsoft"}},
		{"md ] in autolink in text", "[" + g + " <https://x.example/]>](" + evil + ")", []string{"99 untrusted link-text", "99 untrusted not-microsoft"}},
		// Labels match as CommonMark matches them: Unicode case folding,
		// escaped brackets, over lines.
		{"md label folds ẞ to ss", "[" + g + "][ẞ]\n\n[ss]: " + evil, []string{"99 untrusted link-text", "99 untrusted not-microsoft"}},
		{"md label folds final sigma", "[" + g + "][ΣΑΣ]\n\n[σας]: " + evil, []string{"99 untrusted link-text", "99 untrusted not-microsoft"}},
		{"md label with escaped ]", "[" + g + "][a\\]b]\n\n[a\\]b]: " + evil, []string{"99 untrusted link-text", "99 untrusted not-microsoft"}},
		{"md definition label over lines", "[" + g + "][a b]\n\n[a\nb]: " + evil, []string{"99 untrusted link-text", "99 untrusted not-microsoft"}},
		// Which of two definitions is real depends on blocks not parsed
		// here (a fenced code block, an HTML block).
		{"md definition in code first", "[" + g + "][r]\n\n```\n[r]: " + g1976 + "\n```\n\n[r]: " + evil, []string{"48 untrusted link-text", "1976 trusted", "99 untrusted not-microsoft"}},
		// A renderer that does not read the markup as a link (a '[' in
		// a code span, a definition that a paragraph or indentation
		// makes text) shows the text, linked to itself.
		{"md [ in code span before text", "`[`" + g + "](" + g1976 + ")", []string{"1976 untrusted link-text", "1976 untrusted embedded"}},
		{"md indented definition is code", "[" + g + "][r]\n\n    [r]: " + g1976, []string{"1976 untrusted link-text", "1976 trusted"}},
		{"md text and href agree", "[" + g + "](" + g + ")", []string{"48 trusted"}},
		// An href without a scheme is resolved against the page by every
		// renderer, as an <a href> is by a browser.
		{"md angle href without scheme", "[click](<" + ns + ">)", []string{"48 untrusted relative"}},
		{"md definition without scheme", "[click][r]\n\n[r]: " + ns, []string{"48 untrusted relative"}},
		{"md definition in angle brackets", "[click][r]\n\n  [r]: <" + ns + ">", []string{"48 untrusted relative"}},
		{"textile href without scheme", `"click":` + ns, []string{"48 untrusted relative"}},
		{"text without scheme after a quote and colon", `He said "go": ` + ns, []string{"48 trusted"}},
		{"md reference agrees", "[" + g + "][r]\n\n[r]: " + g, []string{"48 trusted", "48 trusted"}},
	}
	checkHits(t, tests)
}
