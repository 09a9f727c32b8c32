package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/authmethods/authmethods/cmd/authmethods/internal/serve"
)

// chromium returns the path of a Chromium to drive. Without one the browser
// tests skip, except under CI=true, where .ci/run installs it and its
// absence is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed, and CI=true needs the browser test: apt-get install chromium")
	}
	t.Skip("Chromium is not installed (Debian: apt-get install chromium); skipping the browser test")
	return ""
}

// browser starts a headless Chromium with a fresh profile, kept off the
// network but for the page under test.
func browser(t *testing.T) context.Context {
	path := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	return bctx
}

// paste inserts text at the focus as a paste or an input method does,
// without a key event per character.
func paste(text string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: text})
		return chromedp.Void{}, err
	}
}

// artifactDir is where the browser test saves its screenshots:
// $AUTHMETHODS_ARTIFACTS, or a temporary directory named in the log.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("AUTHMETHODS_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// screenshotPNG is an image to upload: the fake OCR below reads it.
func screenshotPNG(t *testing.T) string {
	img := image.NewGray(image.Rect(0, 0, 320, 40))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for x := 10; x < 300; x++ {
		img.SetGray(x, 20, color.Gray{})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "address-bar.png")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServeBrowser drives the page in Chromium as a helpdesk would: paste
// a genuine link, then a phishing one, upload a screenshot, build a link
// with its QR code; each verdict is read from the DOM.
func TestServeBrowser(t *testing.T) {
	ctx := browser(t)
	// The real engine; OCR is a stand-in that "reads" a known link, with
	// the warning a real OCR gives, to test the page's screenshot path.
	cfg := serveConfig(nil)
	cfg.EngineReadsImages = false // the stand-in below, not Tesseract
	cfg.OCR = func(ctx context.Context, img []byte) (string, []string, error) {
		if _, _, err := image.DecodeConfig(bytes.NewReader(img)); err != nil {
			return "", nil, err
		}
		return "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1",
			[]string{"read from an image: check the letters of the host against the image"}, nil
	}
	srv := httptest.NewServer(serve.New(cfg))
	defer srv.Close()
	dir := artifactDir(t)

	type verdict struct{ class, head, tell string }
	read := func(t *testing.T) verdict {
		t.Helper()
		var v verdict
		err := chromedp.Do(ctx,
			chromedp.WaitVisible(chromedp.CSS("#results .verdict")),
		)
		if err != nil {
			t.Fatal(err)
		}
		v.class, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#results .verdict").className`))
		if err == nil {
			v.head, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#results .verdict-head")))
		}
		if err == nil {
			v.tell, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#results .tell-text") || {}).textContent || ""`))
		}
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	check := func(t *testing.T, text string) verdict {
		t.Helper()
		err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS("#clear")),
			chromedp.Focus(chromedp.CSS("#input")),
			paste(text),
			chromedp.Click(chromedp.CSS("#check")),
		)
		if err != nil {
			t.Fatal(err)
		}
		return read(t)
	}
	shot := func(t *testing.T, name string) {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}

	// viewShot saves what the window shows (the README's picture of the
	// page).
	viewShot := func(t *testing.T, name string) {
		t.Helper()
		b, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
			res, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng})
			return res.Data, err
		})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1000, 1000), chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}

	t.Run("labels", func(t *testing.T) {
		// Every field has a label a screen reader reads out.
		bare, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("input, select, textarea")).filter((e) => e.labels.length === 0).map((e) => e.outerHTML)`))
		if err != nil || len(bare) > 0 {
			t.Errorf("fields without a label: %q (%v)", bare, err)
		}
	})
	t.Run("genuine", func(t *testing.T) {
		v := check(t, "Hi, IT asked me to open this:\nhttps://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1\nIs it OK?")
		if !strings.Contains(v.class, "ok") || !strings.Contains(v.head, "GENUINE") || strings.Contains(v.head, "NOT") {
			t.Errorf("verdict %+v, want a genuine one", v)
		}
		if !strings.Contains(v.tell, "SMS") || strings.Contains(strings.ToLower(v.tell), "not open") {
			t.Errorf("sentence to tell the user: %q, want it to name SMS and not warn", v.tell)
		}
		shot(t, "serve-genuine.png")
	})
	t.Run("phishing", func(t *testing.T) {
		v := check(t, "https://mysignins.microsoft.com@evil.example/register?authMethods=8288")
		if !strings.Contains(v.class, "bad") || !strings.Contains(v.head, "NOT GENUINE") {
			t.Errorf("verdict %+v, want NOT GENUINE", v)
		}
		if !strings.Contains(strings.ToLower(v.tell), "do not open") {
			t.Errorf("sentence to tell the user: %q, want it to say not to open the link", v.tell)
		}
		reasons, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#results .reasons")))
		if err != nil || !strings.Contains(reasons, "[userinfo]") {
			t.Errorf("reasons %q (%v), want the userinfo reason", reasons, err)
		}
		// Nothing that reads like advice about registering (issue 11).
		asks, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll("#results .asks, #results .methods-list").length > 0 || document.querySelector("#results").textContent.includes("asks for")`))
		if err != nil || asks {
			t.Errorf("a link that is not genuine shows what the wizard asks for (%v)", err)
		}
		shot(t, "serve-phishing.png")
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { window.scrollTo(0, 0); return true; })()`)); err != nil {
			t.Fatal(err)
		}
		viewShot(t, "serve-page.png")
	})
	t.Run("genuine then phishing", func(t *testing.T) {
		// A warning must not sit below a genuine answer: the link that is
		// not genuine comes first, and the status says how many there are.
		v := check(t, "first: https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1\nthen: https://mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1")
		if !strings.Contains(v.class, "bad") || !strings.Contains(v.head, "NOT GENUINE") {
			t.Errorf("first verdict %+v, want the NOT GENUINE one", v)
		}
		status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status")))
		if err != nil || !strings.Contains(status, "1 of the 2") || !strings.Contains(status, "NOT genuine") {
			t.Errorf("status %q (%v), want it to say 1 of the 2 is NOT genuine", status, err)
		}
		// The genuine one, second, does not tell the user to open it.
		tells, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#results .tell-text")).map((e) => e.textContent).join("\n")`))
		if err != nil || strings.Contains(tells, "open it") || !strings.Contains(tells, "also holds a link") {
			t.Errorf("sentences for the user %q (%v): the genuine link's must not say to open it", tells, err)
		}
		shot(t, "serve-mixed.png")
	})
	t.Run("rich text", func(t *testing.T) {
		// Copied from a mail program, a link shows Microsoft's address
		// over an evil href: the clipboard's text has only what it shows,
		// its HTML has the href, and the page checks the HTML.
		link := "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"
		html := `<html><body><p>Please register:</p><p><a href="https://evil.example/login">` + strings.ReplaceAll(link, "&", "&amp;") + `</a></p></body></html>`
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#clear")), chromedp.Focus(chromedp.CSS("#input"))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
				const input = document.getElementById("input");
				const dt = new DataTransfer();
				dt.setData("text/html", %q);
				dt.setData("text/plain", %q);
				input.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
				input.value = %q; // what a real paste leaves in the box
				return true;
			})()`, html, "Please register:\n"+link, "Please register:\n"+link))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond) // the page keeps the HTML after the paste lands
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#check"))); err != nil {
			t.Fatal(err)
		}
		if v := read(t); !strings.Contains(v.class, "bad") || !strings.Contains(v.head, "NOT GENUINE") {
			t.Errorf("verdict %+v, want NOT GENUINE from the pasted HTML", v)
		}
	})
	t.Run("genuine and unreadable", func(t *testing.T) {
		// A link that cannot be read at all (an out-of-range mask on
		// another host) must not leave only the genuine one on the page.
		v := check(t, "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1\nhttps://evil.example/register?authMethods=99999999999999999999&authMethodCount=1")
		if !strings.Contains(v.class, "bad") || !strings.Contains(v.head, "COULD NOT READ") {
			t.Errorf("first verdict %+v, want the could-not-read one", v)
		}
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#results .verdict").length`))
		if err != nil || n != 2 {
			t.Errorf("%d verdicts (%v), want 2", n, err)
		}
		shot(t, "serve-unreadable.png")
	})
	t.Run("screenshot", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS("#clear")),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{screenshotPNG(t)}),
		)
		if err != nil {
			t.Fatal(err)
		}
		v := read(t)
		// Read from an image, even the genuine host is never plainly
		// trusted: the page says to check the letters.
		if !strings.Contains(v.class, "check") || !strings.Contains(v.head, "CHECK THE SCREENSHOT") {
			t.Errorf("verdict %+v, want a check-the-screenshot verdict", v)
		}
		more, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#results .more")))
		if err != nil || !strings.Contains(more, "check the letters of the host") {
			t.Errorf("the OCR warning is not shown: %q (%v)", more, err)
		}
		shot(t, "serve-screenshot.png")
	})
	// A mail the user reported, saved from the mail program (.eml) and
	// chosen as a file: read as the command line reads it, its HTML part's
	// evil href is caught.
	t.Run("saved mail", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "reported.eml")
		eml := "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
			`<p>Please register:</p><a href="https://evil.example/x">https://mysignins.microsoft.com/register?authMethods=48&amp;authMethodCount=1</a>` + "\r\n"
		if err := os.WriteFile(p, []byte(eml), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#clear")), chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{p})); err != nil {
			t.Fatal(err)
		}
		if v := read(t); !strings.Contains(v.class, "bad") || !strings.Contains(v.head, "NOT GENUINE") {
			t.Errorf("verdict %+v, want NOT GENUINE", v)
		}
	})
	// A screenshot pasted from the clipboard or dropped on the box arrives
	// as a file in the event; the page sends it as an image.
	for _, tt := range []struct{ name, ev string }{
		{"paste image", `new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true})`},
		{"drop image", `new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true})`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#clear")))
			if err != nil {
				t.Fatal(err)
			}
			_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {
				const c = document.createElement("canvas");
				c.width = 60; c.height = 20;
				const blob = await new Promise((ok) => c.toBlob(ok, "image/png"));
				const dt = new DataTransfer();
				dt.items.add(new File([blob], "shot.png", {type: "image/png"}));
				document.getElementById("input").dispatchEvent(`+tt.ev+`);
				return true;
			})()`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if v := read(t); !strings.Contains(v.class, "check") {
				t.Errorf("verdict %+v, want a check-the-screenshot verdict", v)
			}
		})
	}
	t.Run("copy", func(t *testing.T) {
		err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#results .copy-tell")))
		if err != nil {
			t.Fatal(err)
		}
		// The copy is asynchronous: wait for the button to say it is done.
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#results .copy-tell").textContent === "Copied"`, chromedp.WithPollingTimeout(5*time.Second)))
		if err != nil {
			t.Errorf("the copy button never said Copied: %v", err)
		}
	})
	t.Run("keyboard", func(t *testing.T) {
		// The tabs follow the WAI-ARIA pattern: arrow keys move between
		// them and show their panel.
		err := chromedp.Do(ctx,
			chromedp.Focus(chromedp.CSS("#tab-check")),
			chromedp.KeyEvent(kb.ArrowRight),
			chromedp.WaitVisible(chromedp.CSS("#panel-build")),
		)
		if err != nil {
			t.Fatal(err)
		}
		focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
		if err != nil || focused != "tab-build" {
			t.Errorf("focus on %q (%v), want tab-build", focused, err)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowLeft), chromedp.WaitVisible(chromedp.CSS("#panel-check"))); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("build", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS("#tab-build")),
			chromedp.WaitVisible(chromedp.CSS("#panel-build")),
			chromedp.Click(chromedp.CSS(`input[value="sms"]`)),
			chromedp.Click(chromedp.CSS(`input[value="fido2"]`)),
			chromedp.Click(chromedp.CSS("#build")),
			chromedp.WaitVisible(chromedp.CSS("#build-result")),
		)
		if err != nil {
			t.Fatal(err)
		}
		link, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#link")))
		if err != nil {
			t.Fatal(err)
		}
		if want := "https://mysignins.microsoft.com/register?authMethods=48&authMethodCount=1"; link != want {
			t.Errorf("built link %q, want %q", link, want)
		}
		// The QR code is an image the browser decoded.
		w, err := chromedp.Run(ctx, chromedp.Poll[int](`(() => { const q = document.getElementById("qr"); return q.complete && q.naturalWidth; })()`, chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil || w < 100 {
			t.Errorf("QR code not shown: naturalWidth %d (%v)", w, err)
		}
		shot(t, "serve-build.png")
	})
	t.Run("phone", func(t *testing.T) {
		// A phone's width: nothing may overflow sideways.
		err := chromedp.Do(ctx,
			chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
			chromedp.Click(chromedp.CSS("#tab-check")),
		)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "https://mysignins.microsoft.com@evil.example/register?authMethods=8288")
		over, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil || over {
			t.Errorf("the page is wider than a phone (%v)", err)
		}
		shot(t, "serve-phone.png")
	})
	t.Run("dark", func(t *testing.T) {
		// On a dark screen the page turns dark; the verdict stays loud.
		err := chromedp.Do(ctx, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
			})
			return chromedp.Void{}, err
		}, chromedp.EmulateViewport(1000, 1000))
		if err != nil {
			t.Fatal(err)
		}
		check(t, "https://mysignins.microsoft.com@evil.example/register?authMethods=8288")
		colors, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector("#results .verdict")).backgroundColor]`))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"rgb(21, 23, 26)", "rgb(176, 0, 32)"}; !slices.Equal(colors, want) {
			t.Errorf("page and verdict colours %q, want %q", colors, want)
		}
		shot(t, "serve-dark.png")
	})
}

// TestServeBrowserNoOCR: without OCR, a screenshot gets the message saying
// how to install Tesseract, on the page.
func TestServeBrowserNoOCR(t *testing.T) {
	ctx := browser(t)
	cfg := serveConfig(nil)
	cfg.EngineReadsImages = false // as on a machine without Tesseract
	srv := httptest.NewServer(serve.New(cfg))
	defer srv.Close()
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{screenshotPNG(t)}),
	)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const s = document.getElementById("status"); return s.classList.contains("error") && s.textContent; })()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "OCR unavailable") || !strings.Contains(msg, "tesseract") {
		t.Errorf("status %q, want how to install Tesseract", msg)
	}
}

// explainV2 is a record in the shape explain --json takes in the command
// restructure of issue 11 (trimmed from its real output): explain gives
// its own headline, what the link asks, the sentence to tell the user, and
// caveats as objects.
const explainV2 = `{"input":"https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1","kind":"link","url":"https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1","host":"mysignins.microsoft.com","trusted":true,"authMethods":1976,"authMethodCount":1,"register":1,"headline":"Genuine: the link opens mysignins.microsoft.com, Microsoft's security-info page.","asks":"The link asks the user to register one of these 7 methods:","tell":"Tell the user: \"The link is Microsoft's own: open it and set up one of the methods it offers, for example Authenticator app code or SMS.\"","unusual":["1976 was observed in real links, not documented by Microsoft"],"notes":["Microsoft documents neither authMethods nor authMethodCount."],"warnings":[],"methods":[{"bit":8,"name":"softwareOath","label":"Authenticator app code","access":"self","advice":"the user sets it up alone","status":"stable"},{"bit":16,"name":"sms","label":"SMS","access":"self","advice":"the user sets it up alone","status":"stable"}],"caveats":[{"id":"sspr-hidden","text":"This wizard hides the password-reset (SSPR) methods.","source":"Jan Bakker"}],"strengths":{"lines":["Closest strength: \"Multifactor authentication\" accepts every method here, and more."]},"catalog":{"provenance":"observed"}}` + "\n"

// When explain gives its own sentences, the page shows them as they are.
func TestServeBrowserEngineWords(t *testing.T) {
	ctx := browser(t)
	cfg := serveConfig(nil)
	cfg.Explain = func(ctx context.Context, text string) ([]byte, int, error) { return []byte(explainV2), 0, nil }
	srv := httptest.NewServer(serve.New(cfg))
	defer srv.Close()
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL),
		chromedp.Focus(chromedp.CSS("#input")),
		paste("1976"),
		chromedp.Click(chromedp.CSS("#check")),
		chromedp.WaitVisible(chromedp.CSS("#results .verdict")),
	)
	if err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		"#results .verdict-line": "Genuine: the link opens mysignins.microsoft.com, Microsoft's security-info page.",
		"#results .tell-text":    "The link is Microsoft's own: open it and set up one of the methods it offers, for example Authenticator app code or SMS.",
		"#results .register":     "The link asks the user to register one of these 7 methods:",
	} {
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil || got != want {
			t.Errorf("%s: %q (%v), want %q", sel, got, err, want)
		}
	}
	more, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#results .more")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"observed in real links", "hides the password-reset", "Closest strength"} {
		if !strings.Contains(more, want) {
			t.Errorf("the page lacks %q:\n%s", want, more)
		}
	}
}
