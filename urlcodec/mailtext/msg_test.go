package mailtext

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// cfbEntry is a stream (data != nil) or a storage (kids) of a test
// compound file.
type cfbEntry struct {
	name string
	data []byte
	kids []cfbEntry
}

// buildCFB writes a version 3 compound file as Outlook does: streams under
// 4096 bytes in the mini stream, the others in 512-byte sectors. Siblings
// are chained by their right pointers (a valid, if unbalanced, tree).
func buildCFB(t *testing.T, top []cfbEntry) []byte {
	t.Helper()
	le := binary.LittleEndian
	type flat struct {
		name               string
		typ                byte
		left, right, child uint32
		start              uint32
		size               int
		data               []byte
	}
	const none = 0xFFFFFFFF
	entries := []flat{{name: "Root Entry", typ: 5, left: none, right: none, child: none}}
	var add func(list []cfbEntry) uint32
	add = func(list []cfbEntry) uint32 {
		first, prev := uint32(none), -1
		for _, e := range list {
			i := len(entries)
			f := flat{name: e.name, typ: 2, left: none, right: none, child: none, data: e.data, size: len(e.data)}
			if e.data == nil {
				f.typ = 1
			}
			entries = append(entries, f)
			if e.data == nil {
				c := add(e.kids)
				entries[i].child = c
			}
			if prev < 0 {
				first = uint32(i)
			} else {
				entries[prev].right = uint32(i)
			}
			prev = i
		}
		return first
	}
	entries[0].child = add(top)

	var mini, big []byte
	var minifat []uint32
	var bigStarts []int // sector offsets within big, per entry
	for i := range entries {
		e := &entries[i]
		switch {
		case e.typ != 2:
		case e.size < 4096:
			e.start = uint32(len(mini) / 64)
			n := (e.size + 63) / 64
			for k := range n {
				if k == n-1 {
					minifat = append(minifat, 0xFFFFFFFE)
				} else {
					minifat = append(minifat, uint32(len(minifat)+1))
				}
			}
			mini = append(mini, e.data...)
			mini = append(mini, make([]byte, n*64-e.size)...)
		default:
			bigStarts = append(bigStarts, i)
			e.start = uint32(len(big) / 512) // relative: fixed below
			big = append(big, e.data...)
			big = append(big, make([]byte, (512-len(big)%512)%512)...)
		}
	}
	secs := func(n int) int { return (n + 511) / 512 }
	nDir := secs(128 * len(entries))
	nMiniFat := secs(4 * len(minifat))
	nMini := secs(len(mini))
	fatAt, dirAt := 0, 1
	miniFatAt := dirAt + nDir
	miniAt := miniFatAt + nMiniFat
	bigAt := miniAt + nMini
	total := bigAt + len(big)/512
	if total > 128 {
		t.Fatal("test file too big for one FAT sector")
	}
	fat := make([]uint32, 128)
	for i := range fat {
		fat[i] = 0xFFFFFFFF
	}
	fat[fatAt] = 0xFFFFFFFD
	run := func(at, n int) {
		for k := range n {
			if k == n-1 {
				fat[at+k] = 0xFFFFFFFE
			} else {
				fat[at+k] = uint32(at + k + 1)
			}
		}
	}
	run(dirAt, nDir)
	run(miniFatAt, nMiniFat)
	run(miniAt, nMini)
	for _, i := range bigStarts {
		e := &entries[i]
		e.start += uint32(bigAt)
		run(int(e.start), secs(e.size))
	}
	entries[0].start, entries[0].size = uint32(miniAt), len(mini)
	if nMini == 0 {
		entries[0].start = 0xFFFFFFFE
	}

	hdr := make([]byte, 512)
	copy(hdr, OLESignature)
	le.PutUint16(hdr[24:], 0x3E)
	le.PutUint16(hdr[26:], 3)
	le.PutUint16(hdr[28:], 0xFFFE)
	le.PutUint16(hdr[30:], 9)
	le.PutUint16(hdr[32:], 6)
	le.PutUint32(hdr[44:], 1)
	le.PutUint32(hdr[48:], uint32(dirAt))
	le.PutUint32(hdr[56:], 4096)
	le.PutUint32(hdr[60:], uint32(miniFatAt))
	le.PutUint32(hdr[64:], uint32(nMiniFat))
	le.PutUint32(hdr[68:], 0xFFFFFFFE)
	for i := range 109 {
		le.PutUint32(hdr[76+4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(hdr[76:], uint32(fatAt))

	var out bytes.Buffer
	out.Write(hdr)
	for _, v := range fat {
		binary.Write(&out, le, v)
	}
	dir := make([]byte, nDir*512)
	for k := len(entries); k < nDir*4; k++ { // unused entries
		d := dir[128*k:]
		le.PutUint32(d[68:], none)
		le.PutUint32(d[72:], none)
		le.PutUint32(d[76:], none)
	}
	for i, e := range entries {
		d := dir[128*i:]
		u := utf16.Encode([]rune(e.name))
		for k, c := range u {
			le.PutUint16(d[2*k:], c)
		}
		le.PutUint16(d[64:], uint16(2*len(u)+2))
		d[66], d[67] = e.typ, 1
		le.PutUint32(d[68:], e.left)
		le.PutUint32(d[72:], e.right)
		le.PutUint32(d[76:], e.child)
		le.PutUint32(d[116:], e.start)
		le.PutUint32(d[120:], uint32(e.size))
	}
	out.Write(dir)
	mf := make([]byte, nMiniFat*512)
	for i := range mf {
		mf[i] = 0xFF
	}
	for i, v := range minifat {
		le.PutUint32(mf[4*i:], v)
	}
	out.Write(mf)
	out.Write(mini)
	out.Write(make([]byte, nMini*512-len(mini)))
	out.Write(big)
	return out.Bytes()
}

func msgUTF16(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return append(b, 0, 0)
}

// lzfuStored is PR_RTF_COMPRESSED in its uncompressed form ("MELA").
func lzfuStored(rtf string) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(rtf)+12))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(rtf)))
	b = append(b, "MELA"...)
	b = append(b, 0, 0, 0, 0)
	return append(b, rtf...)
}

// TestOutlookMsg: the bodies of a .msg are read from its streams, the
// small ones in the mini stream and the large ones in sectors, an attached
// message's too; a byte search would find none of these links.
func TestOutlookMsg(t *testing.T) {
	const genuine = "https://mysignins.microsoft.com/register?authMethods=1976&authMethodCount=1"
	const evil = "https://mysignins.microsoft.com.evil.example/register?authMethods=48&authMethodCount=1"
	long := strings.Repeat("Lorem ipsum dolor sit amet. ", 200) // over 4096 bytes in UTF-16
	html := `<p>Register: <a href="` + evil + `">` + genuine + `</a></p>`
	msg := buildCFB(t, []cfbEntry{
		{name: "__substg1.0_0037001F", data: msgUTF16("Register your security info")},
		{name: "__substg1.0_1000001F", data: msgUTF16("Hi Anna,\r\n\r\nRegister now<" + evil + ">\r\n" + long)},
		{name: "__substg1.0_10130102", data: []byte(html)},
		{name: "__substg1.0_10090102", data: lzfuStored(`{\rtf1{\field{\*\fldinst{HYPERLINK "` + genuine + `"}}{\fldrslt{here}}}}`)},
		{name: "__attach_version1.0_#00000000", kids: []cfbEntry{
			{name: "__substg1.0_3701000D", kids: []cfbEntry{
				{name: "__substg1.0_1000001F", data: msgUTF16("inner: " + genuine)},
			}},
		}},
	})
	parts, err := Parts(msg)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		typ, contains, note string
	}{
		{"text/plain", "Register now<" + evil + ">", "plain body"},
		{"text/html", html, "HTML body"},
		{"text/rtf", `HYPERLINK "` + genuine, "RTF body"},
		{"text/plain", "inner: " + genuine, "attached message"},
	}
	if len(parts) != len(want) {
		t.Fatalf("%d parts, want %d: %+v", len(parts), len(want), parts)
	}
	for i, w := range want {
		p := parts[i]
		if p.Type != w.typ || !strings.Contains(p.Text, w.contains) || !strings.Contains(p.Note, w.note) || strings.ContainsRune(p.Text, 0) {
			t.Errorf("part %d: %s %q (%s), want %s holding %q (note %q)", i+1, p.Type, p.Text[:min(len(p.Text), 120)], p.Note, w.typ, w.contains, w.note)
		}
	}
	if !strings.HasSuffix(parts[0].Text, long) {
		t.Errorf("the large plain body (in sectors) is not read whole")
	}
	if *writeMsg != "" {
		if err := os.WriteFile(*writeMsg, msg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeMsg saves the test's .msg, to try the command on it by hand.
var writeMsg = flag.String("write-msg", "", "write TestOutlookMsg's .msg file to this path")

// TestOutlookMsgBroken: a file with the compound signature and nothing
// readable behind it is an error that says what to do, and its bytes are
// still searched: a link in them is found.
func TestOutlookMsgBroken(t *testing.T) {
	for _, b := range [][]byte{
		[]byte(OLESignature),
		append([]byte(OLESignature), make([]byte, 600)...),
	} {
		parts, err := Parts(b)
		if !errors.Is(err, ErrBadMsg) || len(parts) != 1 || parts[0].Text != string(b) {
			t.Errorf("Parts(% x…): %v, %d parts; want ErrBadMsg and the bytes as they are", b[:8], err, len(parts))
		}
	}
}

// TestLZFu: the example of [MS-OXRTFCP] 3.1.1, compressed.
func TestLZFu(t *testing.T) {
	in := []byte{
		0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7,
		0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20,
		0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f,
		0xa0,
	}
	got, err := lzfu(in)
	if want := "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"; err != nil || string(got) != want {
		t.Errorf("lzfu: %q, %v; want %q", got, err, want)
	}
}

// loopingCFB is a crafted compound file of n bytes and sectors of 1<<shift
// bytes: the header names sector 0 as all 109 FAT sectors, and the FAT
// sends every sector to sector 1, so the directory and the mini FAT chains
// loop on sector 1 and the FAT read from the header is much longer than the
// file has sectors.
func loopingCFB(shift, n int) []byte {
	le := binary.LittleEndian
	size := 1 << shift
	b := make([]byte, max(n, 4*size)/size*size)
	copy(b, OLESignature)
	le.PutUint16(b[24:], 0x3E)
	le.PutUint16(b[26:], uint16(shift-6)) // version 3 or 4
	le.PutUint16(b[28:], 0xFFFE)
	le.PutUint16(b[30:], uint16(shift))
	le.PutUint16(b[32:], 6)
	le.PutUint32(b[48:], 1)          // the directory starts at sector 1
	le.PutUint32(b[56:], 4096)       // the mini stream cutoff
	le.PutUint32(b[60:], 1)          // and so does the mini FAT,
	le.PutUint32(b[64:], 0xFFFFFFF0) // which says it is huge
	le.PutUint32(b[68:], 0xFFFFFFFE)
	for i := range 109 {
		le.PutUint32(b[76+4*i:], 0)
	}
	at := size // sector 0 follows the header, padded to a sector in v4
	if shift == 9 {
		at = 512
	}
	for j := 0; j < size; j += 4 {
		le.PutUint32(b[at+j:], 1)
	}
	dir := b[at+size : at+2*size]
	for k := 0; k < size/128; k++ {
		d := dir[128*k:]
		for i, c := range "__substg1.0_1000001F" {
			le.PutUint16(d[2*i:], uint16(c))
		}
		le.PutUint16(d[64:], 42)
		d[66] = 2
		if k == 0 {
			d[66] = 5 // the root
		}
		le.PutUint32(d[68:], 0xFFFFFFFF)
		le.PutUint32(d[72:], uint32(k+1))
		le.PutUint32(d[76:], 1)
		le.PutUint32(d[116:], 1)
	}
	return b
}

// TestCFBLinear: the bytes cfbStreams copies out of sectors grow with the
// file, however its chains loop: the directory, the mini stream, the mini
// FAT and the streams each hold at most the file. It counts bytes rather
// than timing: a loop bounded by the FAT's length instead of the file's
// sectors once copied 21 MiB out of a 12 KiB file.
func TestCFBLinear(t *testing.T) {
	for _, shift := range []int{9, 12} {
		for _, n := range []int{12 << 10, 100 << 10, 1 << 20} {
			b := loopingCFB(shift, n)
			before := cfbCopied.Load()
			Parts(b)
			if got := cfbCopied.Load() - before; got > 4*int64(len(b)) {
				t.Errorf("%d-byte sectors, %d bytes: %d bytes copied out of sectors, want at most 4 times the file", 1<<shift, len(b), got)
			}
		}
	}
}

// TestOutlookMsgMaxParts: a .msg's bodies are parts, bounded by MaxParts
// as a message's are, however many its directory names.
func TestOutlookMsgMaxParts(t *testing.T) {
	var kids []cfbEntry
	for range MaxParts + 1 {
		kids = append(kids, cfbEntry{name: "__substg1.0_1000001F", data: []byte{}})
	}
	parts, err := Parts(buildCFB(t, kids))
	if len(parts) != MaxParts || !errors.Is(err, ErrTooManyParts) {
		t.Errorf("%d parts, error %v: want %d and ErrTooManyParts", len(parts), err, MaxParts)
	}
}

// BenchmarkLoopingCFB: crafted .msg files whose chains loop cost time and
// bytes in proportion to their size (see TestCFBLinear).
func BenchmarkLoopingCFB(b *testing.B) {
	for _, n := range []int{16 << 10, 1 << 20, 8 << 20} {
		in := loopingCFB(12, n)
		b.Run(strconv.Itoa(n>>10)+"KiB", func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				Parts(in)
			}
		})
	}
}
