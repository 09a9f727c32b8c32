// Package fuzz holds the native Go fuzz targets that need nothing but the
// exported API of bitmask and urlcodec. Run one with, for example:
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzMaskRoundTrip$' -fuzztime 30s
//
// Seed corpora live in testdata/fuzz/<target>/ beside the target and run as
// ordinary tests with go test.
//
// Where a target lives, by one rule: a target that uses only exported API
// lives here, in fuzz/, whatever packages it crosses; a target that needs
// a package's unexported internals, or a package nothing else may import
// (an internal/ package, the command's package main), lives beside that
// package in its _test.go files. CI (.ci/run) finds every target in the
// module by its "func Fuzz" line and fuzzes each for 15 s.
//
// The targets (TestDocListsEveryTarget checks this list against the
// module):
//
//   - FuzzMaskRoundTrip in fuzz: every 32-bit mask formats to text that
//     parses back to it, in every output form.
//   - FuzzMaskParse in fuzz: any text parses to a mask whose canonical form
//     parses the same, or fails with a documented *bitmask.Error.
//   - FuzzStrengthDecode in fuzz: any input decodes to valid strengths that
//     survive a trip back to Graph JSON, or fails with a placed
//     *strength.DecodeError.
//   - FuzzLinkParse in fuzz: Parse never panics; an accepted link rebuilds
//     to a canonical link with the same mask and count.
//   - FuzzBuildParse in fuzz: Build then Parse is the identity.
//   - FuzzJudge in fuzz: a link is trusted only when its browser-parsed host
//     is exactly mysignins.microsoft.com, by an independent reference.
//   - FuzzExtract in fuzz: Extract finds in-order, non-overlapping hits
//     inside the input, and the streaming Scanner finds the same.
//   - FuzzExtractHTML in fuzz: a link Extract trusts is not, in the HTML
//     tree a browser builds, the text of an <a> whose href is untrusted.
//   - FuzzTrustedLandsOnRegister in fuzz: whatever Parse trusts, an
//     independent WHATWG parser (github.com/nlnwa/whatwg-url), following
//     only trusted wrappers by their one parameter, lands on
//     https://mysignins.microsoft.com/register with the same authMethods.
//   - FuzzRedirectParam in fuzz: a wrapper that carries its target in one
//     query parameter (Safe Links, Proofpoint v1, Google …) is followed by
//     that parameter only; no panic, bounded output, trusted only through
//     a trusted wrapper and only where the reference lands.
//   - FuzzEntraSignIn in fuzz: the same for Entra's sign-in and its
//     redirect_uri; another client or scope is never trusted.
//   - FuzzProofpointV2 in fuzz: the same for Proofpoint's v2 encoding.
//   - FuzzProofpointV3 in fuzz: the same for Proofpoint's v3 encoding.
//   - FuzzCisco in fuzz: the same for a target in the last path segment.
//   - FuzzSophos in fuzz: the same for a base64 target.
//   - FuzzMimecast in fuzz: a wrapper that hides its target is never
//     trusted, and no mask is guessed from its domain hint.
//   - FuzzExplain in fuzz: explaining any link or mask never panics, and
//     a link that is not genuine gets no advice about registering.
//   - FuzzMailParts in fuzz: reading any input as mail never panics and
//     stays within mailtext's bounds; text that is not a MIME message and
//     has no byte-order mark comes back as it is, and a message's parts
//     are text, each with a note, in the order of their sections.
//   - FuzzKQLQuery in fuzz: any flags of kql give a query they cannot add
//     a statement to, or a *kql.Error naming the option.
//   - FuzzFastPath in urlcodec: whatever the unexported fast path accepts,
//     the slow path reads the same.
//   - FuzzRepair in urlcodec/ocr: the repair of OCR text never panics,
//     leaves text without "register" as it is, and adds no more than the
//     '?' and '&' it puts back.
//   - FuzzDecode in urlcodec/ocr: an image decoder fed anything refuses it
//     or decodes within the pixel bound it checked first.
//   - FuzzScanner in urlcodec/internal/find: the internal scanner finds
//     what a plain reference search finds, however the input is cut.
//   - FuzzDecode in cmd/authmethods: decode and explain never fail
//     internally on any argument or standard input.
//   - FuzzScanJSON in cmd/authmethods: every line of scan --json is a
//     valid record, its strings escaped as encoding/json escapes them.
//   - FuzzAPI in cmd/authmethods/internal/serve: any body with any
//     Content-Type gets one of the documented statuses, errors as JSON.
package fuzz
