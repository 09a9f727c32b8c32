package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/authmethods/authmethods/bitmask/echo"
	"github.com/authmethods/authmethods/cmd/authmethods/internal/serve"
)

var serveCmd = &command{
	name:    "serve",
	summary: "serve the helpdesk page and a JSON API on this computer",
	usage:   "[flags]",
	common:  withTrust,
	help: `Serve one web page and a JSON API from this program, for a helpdesk that
keeps the page open: paste a link, a whole mail or a screenshot, and read
the verdict first (genuine or NOT genuine), what the wizard asks for, and a
sentence to tell the user. A second tab builds a link for admins, with a QR
code to open it on a phone. Everything is served from the binary and works
offline; nothing posted is stored and no cookie is set.

serve listens on loopback (127.0.0.1:8080) unless --addr says otherwise,
and warns when told to listen where other machines can reach it: the page
has no sign-in. It prints its URL when ready (with --json as {"url": …}),
and stops cleanly on Ctrl-C (SIGINT) or SIGTERM. --trust-host applies to
every request.

The API answers exactly what the commands print:
  POST /api/decode   body text/plain (or a screenshot: image/png, image/jpeg,
                     image/gif; or a saved mail, .eml or .msg, or page:
                     message/rfc822, application/vnd.ms-outlook,
                     application/octet-stream, read as decode reads a file)
                     -> JSON Lines as 'authmethods decode --json'
  POST /api/explain  the same -> JSON Lines as 'authmethods explain --json'
  GET  /api/build?method=sms&method=fido2&strength=mfa
                     -> one object as 'authmethods build --json'
Errors are JSON {"error", "status"}: 400 bad input, 413 over the size limit
(8 MiB, or an image over 40 megapixels), 415 unsupported type, 503 OCR
unavailable or busy, 504 timed out. The header Authmethods-Status carries the
command's exit status (3: a link is not genuine). When some inputs were
answered and others refused, each refused one is a line of its own:
{"kind": "error", "input", "error"}.

Screenshots are read with the Tesseract OCR program ($AUTHMETHODS_TESSERACT,
else tesseract on PATH when serve starts), exactly as 'decode screenshot.png'
reads them; without it they are answered with 503 and how to install it.

Examples:
  authmethods serve
  authmethods serve --addr 127.0.0.1:9000
  curl -s --data-binary @mail.txt -H 'Content-Type: text/plain' http://127.0.0.1:8080/api/explain
`,
	setup: setupServe,
}

// Server timeouts: a slow client cannot hold a connection, and a request
// gets serve.DefaultTimeout to be answered.
const (
	serveReadHeaderTimeout = 5 * time.Second
	serveReadTimeout       = 30 * time.Second
	serveWriteTimeout      = serve.DefaultTimeout + 10*time.Second
	serveIdleTimeout       = 2 * time.Minute
	serveShutdownTimeout   = 10 * time.Second
)

func setupServe(fs *pflag.FlagSet) runFunc {
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`; port 0 picks a free one")
	return func(c *invocation, args []string) int {
		if len(args) > 0 {
			return c.usagef("no arguments expected, got %s", quote(args[0]))
		}
		// Catch the signals before listening, so that none is missed.
		sig, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return c.usagef("--addr %s: %v", quote(*addr), err)
		}
		tcp := ln.Addr().(*net.TCPAddr)
		if w := exposed(tcp); w != "" {
			c.warnf("%s", w)
		}
		cfg := serveConfig(c.trustHosts)
		if tcp.IP.IsLoopback() {
			cfg.Hosts = loopbackHosts(tcp)
		}
		srv := &http.Server{
			Handler:           serve.New(cfg),
			ReadHeaderTimeout: serveReadHeaderTimeout,
			ReadTimeout:       serveReadTimeout,
			WriteTimeout:      serveWriteTimeout,
			IdleTimeout:       serveIdleTimeout,
			MaxHeaderBytes:    64 << 10,
		}
		url := "http://" + tcp.String() + "/"
		if tcp.IP.IsUnspecified() {
			url = "http://" + net.JoinHostPort("localhost", itoa(tcp.Port)) + "/"
		}
		if c.json {
			c.writeJSON(struct {
				URL string `json:"url"`
			}{url})
		} else {
			c.println("authmethods serve: " + url + " (Ctrl-C stops)")
		}
		c.flush()

		served := make(chan error, 1)
		go func() { served <- srv.Serve(ln) }()
		select {
		case err = <-served:
		case <-sig.Done():
			// Requests under way are answered; new ones are refused.
			wait, cancel := context.WithTimeout(context.Background(), serveShutdownTimeout)
			defer cancel()
			err = srv.Shutdown(wait)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			c.invalid("serve", err)
		}
		return c.done()
	}
}

// loopbackHosts are the Host headers a browser sends to a for the page
// (serve.Config.Hosts): its address and localhost with the port, and on
// port 80, which a browser leaves out of Host, without it.
func loopbackHosts(a *net.TCPAddr) []string {
	port := itoa(a.Port)
	hosts := []string{net.JoinHostPort(a.IP.String(), port), "localhost:" + port}
	if a.Port == 80 {
		ip := a.IP.String()
		if strings.Contains(ip, ":") {
			ip = "[" + ip + "]"
		}
		hosts = append(hosts, ip, "localhost")
	}
	return hosts
}

// exposed warns when the server listens where other machines may reach it.
func exposed(a *net.TCPAddr) string {
	if a.IP.IsLoopback() {
		return ""
	}
	return "listening on " + a.String() + ", which other machines may reach: the page has no sign-in, so anyone who reaches it can use it; --addr 127.0.0.1:" + itoa(a.Port) + " keeps it on this computer"
}

// serveMaxAnswer bounds what one request may make a command write: a body
// of text full of links would otherwise make an answer of hundreds of MB.
const serveMaxAnswer = 16 << 20

// serveConfig wires the page to this CLI: each request runs the command it
// stands for in memory, with the same flags, so that the page and the API
// say exactly what the commands print.
func serveConfig(trustHosts []string) serve.Config {
	var shared []string
	for _, h := range trustHosts {
		shared = append(shared, "--trust-host", h)
	}
	read := func(cmd *command) serve.Engine {
		return func(ctx context.Context, text string) ([]byte, int, error) {
			return runJSON(ctx, cmd, append(append([]string{"--json"}, shared...), "-"), text, serveMaxAnswer)
		}
	}
	return serve.Config{
		Decode:  read(decodeCmd),
		Explain: read(explainCmd),
		// decode and explain read a screenshot on stdin themselves
		// (image.go); the server checks its size first and runs a bounded
		// number at once.
		EngineReadsImages: haveTesseract(),
		Build: func(ctx context.Context, methods []string, strength string) ([]byte, int, error) {
			args := []string{"--json"}
			if len(methods) > 0 {
				args = append(args, "--methods", strings.Join(methods, ","))
			}
			if strength != "" {
				args = append(args, "--strength", strength)
			}
			return runJSON(ctx, buildCmd, args, "", serveMaxAnswer)
		},
	}
}

// errAnswerTooLong stops a command whose answer is over serveMaxAnswer.
var errAnswerTooLong = errors.New("the answer would be over 16 MiB: check fewer links at once")

// answer collects a command's stdout for one request. Once the request is
// cancelled or the answer is over max, its writes fail, and a command stops
// at a failed write.
type answer struct {
	ctx context.Context
	buf bytes.Buffer
	max int
	err error
}

func (a *answer) Write(p []byte) (int, error) {
	if a.err == nil {
		a.err = a.ctx.Err()
	}
	if a.err == nil && a.buf.Len()+len(p) > a.max {
		a.err = errAnswerTooLong
	}
	if a.err != nil {
		return 0, a.err
	}
	return a.buf.Write(p)
}

// runJSON runs cmd with args and stdin, as run would, and returns its stdout
// (at most max bytes) and exit status. When it refused the input and
// printed nothing, the error holds what it wrote on stderr, without the
// program's name and the pointer to --help, which mean nothing on a web
// page. (It calls cmd.exec, not run: run reaches the command table, which
// holds serve.)
func runJSON(ctx context.Context, cmd *command, args []string, stdin string, max int) (out []byte, status int, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, status, err = nil, exitInternal, nil
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	stdout := &answer{ctx: ctx, max: max}
	var stderr keptErrors
	var in io.Reader = strings.NewReader(stdin)
	if !serve.IsImage(ctx) {
		// Posted as text: read as text even when it starts as an image
		// does ("BMW fleet: …" starts as a BMP), and never given to OCR
		// outside the server's OCR slots and size checks.
		in = textStdin{in}
	}
	status = cmd.exec(args, in, stdout, &stderr)
	if stdout.err != nil {
		return nil, status, stdout.err
	}
	if (status == exitInvalid && stdout.buf.Len() == 0) || status == exitUsage {
		prefix := "authmethods " + cmd.name + ": "
		var msg []string
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "Run 'authmethods ") {
				continue
			}
			if len(msg) == 100 { // a page's status line, not a log
				msg = append(msg, fmt.Sprintf("… and %d more lines", len(lines)-i))
				break
			}
			msg = append(msg, echo.Clip(strings.TrimPrefix(l, prefix), 1000))
		}
		return nil, status, errors.New(strings.Join(msg, "\n"))
	}
	// Other inputs were answered: the ones refused are records too, so
	// that the page never shows only the genuine link of a text whose
	// other link could not be read.
	for _, e := range stderr.invalid {
		if err := json.NewEncoder(stdout).Encode(e); err != nil {
			return nil, status, err
		}
	}
	return stdout.buf.Bytes(), status, nil
}

// keptErrors is a command's stderr in serve: the text, and the inputs it
// reported invalid (see invalidKeeper), as the page's records of kind
// "error".
type keptErrors struct {
	bytes.Buffer
	invalid []invalidRecord
}

type invalidRecord struct {
	Kind  string `json:"kind"` // "error"
	Input string `json:"input"`
	Error string `json:"error"`
}

func (k *keptErrors) keepInvalid(input, msg string) {
	if len(k.invalid) < 100 { // a page shows a few; the answer stays small
		k.invalid = append(k.invalid, invalidRecord{"error", input, msg})
	}
}

// textStdin is stdin that is text, whatever its first bytes: imageStdin
// does not sniff it for an image.
type textStdin struct{ io.Reader }

// haveTesseract reports whether the OCR program that decode and explain
// would run is there: $AUTHMETHODS_TESSERACT, else tesseract on PATH.
func haveTesseract() bool {
	name := os.Getenv(envTesseract)
	if name == "" {
		name = "tesseract"
	}
	_, err := exec.LookPath(name)
	return err == nil
}
