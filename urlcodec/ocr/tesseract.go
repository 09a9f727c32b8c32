package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// tesseract runs the Tesseract program, with the image on its stdin, so
// that no temporary file is written.
type tesseract struct {
	path    string
	timeout timeoutFunc
}

type timeoutFunc func(context.Context) (context.Context, context.CancelFunc)

// maxOutput bounds what is read back from one run: the text of a
// screenshot is a few KiB, its TSV a few tens.
const maxOutput = 4 << 20

// run reads img with page segmentation mode psm and binarisation
// thresholding and returns its stdout: TSV when tsv is set, else plain
// text.
func (t *tesseract) run(ctx context.Context, img *image.Gray, psm int, tsv bool, thresholding string) (string, error) {
	ctx, cancel := t.timeout(ctx)
	defer cancel()
	args := []string{"stdin", "stdout", "--psm", strconv.Itoa(psm), "-l", "eng",
		// Links are no words: the dictionaries only pull letters towards
		// English (microsof → microsoft).
		"-c", "load_system_dawg=0", "-c", "load_freq_dawg=0",
		"-c", "thresholding_method=" + thresholding}
	if tsv {
		args = append(args, "tsv")
	}
	cmd := exec.CommandContext(ctx, t.path, args...)
	cmd.Stdin = bytes.NewReader(pgm(img))
	var out, errOut limitedBuffer
	out.max, errOut.max = maxOutput, 4<<10
	cmd.Stdout, cmd.Stderr = &out, &errOut
	// One thread per run: OpenMP threads cost more than they gain on a
	// line of text, and the machine may be shared.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.WaitDelay = waitDelay
	err := cmd.Run()
	if ctx.Err() != nil {
		return "", fmt.Errorf("%s: %w", t.path, ctx.Err())
	}
	if err != nil {
		msg := strings.TrimSpace(errOut.String())
		if msg != "" {
			return "", fmt.Errorf("%s: %w: %s", t.path, err, firstLines(msg, 3))
		}
		return "", fmt.Errorf("%s: %w", t.path, err)
	}
	if out.over {
		return "", fmt.Errorf("%s: output over %d bytes", t.path, maxOutput)
	}
	return out.String(), nil
}

// limitedBuffer keeps the first max bytes written to it and drops the
// rest, so that a misbehaving program cannot fill memory.
type limitedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " / ")
}

// lookTesseract finds the program: name as given (a path, or a name looked
// up on PATH), or "tesseract" on PATH.
func lookTesseract(name string) (string, error) {
	if name == "" {
		name = "tesseract"
	}
	p, err := exec.LookPath(name)
	if err != nil {
		if errors.Is(err, exec.ErrDot) {
			return "", fmt.Errorf("%q is in the current directory, which is not trusted for programs; give its path: %w", name, ErrNoTesseract)
		}
		return "", fmt.Errorf("%q: %w", name, ErrNoTesseract)
	}
	return p, nil
}

// A tsvLine is one line of text as Tesseract's TSV output groups words.
type tsvLine struct {
	text string
	box  image.Rectangle
}

// parseTSV groups the words of Tesseract's TSV output (level 5 rows:
// level page block par line word left top width height conf text) into
// lines.
func parseTSV(s string) []tsvLine {
	type key struct{ page, block, par, line int }
	var lines []tsvLine
	index := map[key]int{}
	for _, row := range strings.Split(s, "\n") {
		f := strings.Split(row, "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		var n [10]int
		ok := true
		for i := 0; i < 10; i++ {
			v, err := strconv.Atoi(f[i])
			if err != nil {
				ok = false
				break
			}
			n[i] = v
		}
		word := strings.TrimSpace(f[11])
		if !ok || word == "" {
			continue
		}
		k := key{n[1], n[2], n[3], n[4]}
		box := image.Rect(n[6], n[7], n[6]+n[8], n[7]+n[9])
		i, seen := index[k]
		if !seen {
			index[k] = len(lines)
			lines = append(lines, tsvLine{text: word, box: box})
			continue
		}
		lines[i].text += " " + word
		lines[i].box = lines[i].box.Union(box)
	}
	return lines
}
