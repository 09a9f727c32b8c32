package mailtext

// Outlook's .msg: what Outlook saves with File > Save As or drag and drop,
// and what users attach to tickets. It is an OLE compound file ([MS-CFB]),
// a small file system, whose streams hold the message's properties
// ([MS-OXMSG]): the plain body in UTF-16LE (PR_BODY_W), the HTML body
// (PR_HTML), and often only the RTF body, compressed ([MS-OXRTFCP]). A byte
// search finds none of their links, so they are read here.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"unicode/utf16"
)

// OLESignature starts every OLE compound file ([MS-CFB] 2.2), so every
// Outlook .msg.
const OLESignature = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"

// IsOutlookMsg reports whether b starts with the signature of an OLE
// compound file, the container of Outlook's .msg (and of old Office
// documents, which Parts reads as a message without a body).
func IsOutlookMsg(b []byte) bool { return strings.HasPrefix(string(b), OLESignature) }

// ErrBadMsg is the error of a compound file whose structure cannot be read.
var ErrBadMsg = errors.New("an Outlook .msg (OLE compound file) whose structure cannot be read: open it in Outlook and save it as .eml, or paste its text")

// The body properties of [MS-OXPROPS], as named in stream names
// "__substg1.0_TTTTPPPP" (tag, then type: 001F UTF-16LE, 001E 8-bit,
// 0102 binary).
var msgBodies = []struct {
	suffix, typ, what string
}{
	{"1000001F", "text/plain", "plain body (PR_BODY, UTF-16LE)"},
	{"1000001E", "text/plain", "plain body (PR_BODY, 8-bit)"},
	{"10130102", "text/html", "HTML body (PR_HTML)"},
	{"1013001F", "text/html", "HTML body (PR_HTML, UTF-16LE)"},
	{"1013001E", "text/html", "HTML body (PR_HTML, 8-bit)"},
	{"10090102", "text/rtf", "RTF body (PR_RTF_COMPRESSED)"},
}

// msgParts returns the bodies of an Outlook .msg, of its attached messages
// too, as Parts: sections are numbered in the order the streams are
// stored; Type is text/plain, text/html or text/rtf (read as text: its
// HYPERLINK fields and the HTML it wraps hold the links).
func msgParts(b []byte) ([]Part, error) {
	streams, err := cfbStreams(b)
	if err != nil && len(streams) == 0 {
		// Not a word of "no link" over a link that is plainly in the
		// bytes: they are read as they are, with the error.
		return []Part{{Text: string(b), Note: "the bytes of the Outlook .msg as they are (its structure cannot be read)"}}, &Error{Err: err}
	}
	var parts []Part
	text := 0
	for _, s := range streams {
		upper := strings.ToUpper(s.name)
		if !strings.HasPrefix(upper, "__SUBSTG1.0_") {
			continue
		}
		for _, body := range msgBodies {
			if !strings.HasSuffix(upper, body.suffix) {
				continue
			}
			t, how := string(s.data), ""
			switch {
			case strings.HasSuffix(body.suffix, "001F"):
				t = utf16le(s.data)
			case body.typ == "text/rtf":
				r, err := lzfu(s.data)
				if err != nil {
					how = "; its compressed RTF cannot be read: " + err.Error()
				}
				t = string(r)
			}
			if len(parts) == MaxParts {
				// A crafted directory can name thousands of bodies, each
				// a part as a multipart's parts are.
				return parts, &Error{Section: fmt.Sprint(len(parts) + 1), Err: ErrTooManyParts}
			}
			t = strings.TrimRight(t, "\x00")
			if text += len(t); text > MaxText {
				return parts, &Error{Err: ErrTooMuchText}
			}
			where := ""
			if s.attached {
				where = ", in an attached message"
			}
			parts = append(parts, Part{
				Section: fmt.Sprint(len(parts) + 1),
				Type:    body.typ,
				Text:    t,
				Note:    fmt.Sprintf("part %d of the Outlook .msg, its %s%s%s", len(parts)+1, body.what, where, how),
			})
		}
	}
	return parts, nil
}

// utf16le decodes UTF-16LE bytes; an odd last byte is dropped.
func utf16le(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// cfbStream is one stream of a compound file.
type cfbStream struct {
	name     string
	attached bool // inside an attachment's storage (an attached message)
	data     []byte
}

// Special sector numbers ([MS-CFB] 2.1).
const (
	cfbEndOfChain = 0xFFFFFFFE
	cfbFree       = 0xFFFFFFFF
)

// cfbCopied counts the bytes cfbStreams copies out of sectors, so that a
// test can check that they grow with the file and no faster.
var cfbCopied atomic.Int64

// cfbStreams reads every stream of the compound file b. Sector chains are
// followed with a bound on their length, so that a loop in a crafted file
// ends.
func cfbStreams(b []byte) ([]cfbStream, error) {
	if len(b) < 512 || !IsOutlookMsg(b) {
		return nil, ErrBadMsg
	}
	le := binary.LittleEndian
	shift, miniShift := le.Uint16(b[30:]), le.Uint16(b[32:])
	if shift != 9 && shift != 12 || miniShift != 6 {
		return nil, ErrBadMsg
	}
	size := 1 << shift
	nSect := (len(b) - 512) / size // sectors start after the 512-byte header, padded in v4
	if shift == 12 {
		nSect = (len(b) - size) / size
	}
	sector := func(n uint32) []byte {
		if int64(n) >= int64(nSect) {
			return nil
		}
		off := (int(n) + 1) * size
		return b[off : off+size]
	}
	// The FAT: its sectors are listed in the header (109) and the DIFAT chain.
	var fatSectors []uint32
	for i := range 109 {
		fatSectors = append(fatSectors, le.Uint32(b[76+4*i:]))
	}
	next := le.Uint32(b[68:])
	for i := 0; next < cfbEndOfChain-2 && i < nSect; i++ {
		s := sector(next)
		if s == nil {
			return nil, ErrBadMsg
		}
		for j := 0; j < size/4-1; j++ {
			fatSectors = append(fatSectors, le.Uint32(s[4*j:]))
		}
		next = le.Uint32(s[size-4:])
	}
	var fat []uint32
	for _, n := range fatSectors {
		if n >= cfbEndOfChain-2 { // free, or a special value
			continue
		}
		s := sector(n)
		if s == nil {
			return nil, ErrBadMsg
		}
		for j := 0; j < size; j += 4 {
			fat = append(fat, le.Uint32(s[j:]))
		}
		if len(fat) > nSect+size { // more FAT than sectors: crafted
			break
		}
	}
	// chain reads want bytes (-1: all) of the chain that starts at first,
	// in a file of count sectors. A chain longer than count visits a
	// sector twice, a loop: bounding it by the table instead, which a
	// crafted FAT fills with one sector read over and over, let 12 KiB
	// loop through 21 MiB.
	chain := func(first uint32, table []uint32, get func(uint32) []byte, count, want int) ([]byte, error) {
		var out []byte
		for n, steps := first, 0; n != cfbEndOfChain && (want < 0 || len(out) < want); steps++ {
			if int(n) >= len(table) || steps >= count {
				return out, ErrBadMsg
			}
			s := get(n)
			if s == nil {
				return out, ErrBadMsg
			}
			if want >= 0 {
				// A short stream takes its bytes, not its whole sector.
				s = s[:min(len(s), want-len(out))]
			}
			cfbCopied.Add(int64(len(s)))
			out = append(out, s...)
			n = table[n]
		}
		if want < 0 {
			return out, nil
		}
		if len(out) < want {
			return out, ErrBadMsg
		}
		return out[:want], nil
	}
	dir, err := chain(le.Uint32(b[48:]), fat, sector, nSect, -1)
	if err != nil {
		return nil, ErrBadMsg
	}
	dir = dir[:len(dir)/128*128]
	if len(dir) == 0 || dir[66] != 5 { // the first entry is the root
		return nil, ErrBadMsg
	}
	type entry struct {
		name               string
		typ                byte
		left, right, child uint32
		start              uint32
		size               int
	}
	entries := make([]entry, len(dir)/128)
	for i := range entries {
		e := dir[128*i:]
		n := int(le.Uint16(e[64:]))
		if n > 64 || n%2 != 0 {
			n = 0
		}
		name := strings.TrimRight(utf16le(e[:n]), "\x00")
		sz := int(le.Uint32(e[120:])) // v3 files: the high half is junk
		if shift == 12 {
			hi := le.Uint32(e[124:])
			if hi != 0 {
				sz = -1
			}
		}
		entries[i] = entry{name, e[66], le.Uint32(e[68:]), le.Uint32(e[72:]), le.Uint32(e[76:]), le.Uint32(e[116:]), sz}
	}
	// The mini stream: the root's stream, in mini sectors of 64 bytes,
	// holds every stream shorter than the cutoff.
	cutoff := int(le.Uint32(b[56:]))
	root := entries[0]
	var mini []byte
	if root.size > 0 && root.size <= len(b) {
		mini, _ = chain(root.start, fat, sector, nSect, root.size)
	}
	var minifat []uint32
	if mf, _ := chain(le.Uint32(b[60:]), fat, sector, nSect, int(le.Uint32(b[64:]))*size); len(mf) > 0 {
		for j := 0; j+4 <= len(mf); j += 4 {
			minifat = append(minifat, le.Uint32(mf[j:]))
		}
	}
	miniSector := func(n uint32) []byte {
		off := int(n) * 64
		if int64(off)+64 > int64(len(mini)) {
			return nil
		}
		return mini[off : off+64]
	}
	// Walk the tree from the root, to know which streams are inside an
	// attachment (storage "__attach_version1.0_…"), without recursion: a
	// crafted file can chain thousands of siblings.
	var out []cfbStream
	var problem error
	budget := len(b) // a stream's sectors are its own: all of them hold less than the file
	seen := make([]bool, len(entries))
	type visit struct {
		i        uint32
		attached bool
	}
	stack := []visit{{root.child, false}}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if int(v.i) >= len(entries) || seen[v.i] {
			continue // no entry (0xFFFFFFFF), or a loop in a crafted file
		}
		seen[v.i] = true
		e := entries[v.i]
		// Right first on the stack, so that the left subtree, then this
		// entry's children, come before it: the streams in tree order.
		stack = append(stack, visit{e.right, v.attached})
		switch e.typ {
		case 1: // a storage
			stack = append(stack, visit{e.child, v.attached || strings.HasPrefix(strings.ToLower(e.name), "__attach_")})
		case 2: // a stream
			if e.size < 0 || e.size > budget {
				problem = ErrBadMsg
				break
			}
			budget -= e.size
			var data []byte
			var err error
			if e.size < cutoff {
				data, err = chain(e.start, minifat, miniSector, len(mini)/64, e.size)
			} else {
				data, err = chain(e.start, fat, sector, nSect, e.size)
			}
			if err != nil {
				problem = ErrBadMsg
			}
			out = append(out, cfbStream{name: e.name, attached: v.attached, data: data})
		}
		stack = append(stack, visit{e.left, v.attached})
	}
	return out, problem
}

// lzfuPrefix is the dictionary's initial text ([MS-OXRTFCP] 2.1.2.1).
const lzfuPrefix = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"

// lzfu decompresses the RTF of PR_RTF_COMPRESSED ([MS-OXRTFCP]): "MELA"
// is stored as it is, "LZFu" is LZ77 over a 4 KiB dictionary.
func lzfu(b []byte) ([]byte, error) {
	if len(b) < 16 {
		return nil, errors.New("too short")
	}
	le := binary.LittleEndian
	raw := int(le.Uint32(b[4:]))
	data := b[16:]
	if n := int(le.Uint32(b[0:])) - 12; n >= 0 && n < len(data) {
		data = data[:n]
	}
	switch string(b[8:12]) {
	case "MELA":
		return data[:min(len(data), raw)], nil
	case "LZFu":
	default:
		return nil, errors.New("unknown compression")
	}
	var dict [4096]byte
	copy(dict[:], lzfuPrefix)
	w := len(lzfuPrefix)
	out := make([]byte, 0, min(raw, 4*len(data)+4096))
	for i := 0; i < len(data); {
		ctl := data[i]
		i++
		for bit := 0; bit < 8 && i < len(data); bit++ {
			if ctl&(1<<bit) == 0 {
				dict[w%4096] = data[i]
				w++
				out = append(out, data[i])
				i++
				continue
			}
			if i+1 >= len(data) {
				return out, errors.New("cut short")
			}
			ref := int(data[i])<<8 | int(data[i+1])
			i += 2
			off, n := ref>>4, ref&15+2
			if off == w%4096 {
				return out, nil // the end marker
			}
			for k := range n {
				c := dict[(off+k)%4096]
				dict[w%4096] = c
				w++
				out = append(out, c)
			}
			if len(out) > MaxText {
				return out, ErrTooMuchText
			}
		}
	}
	return out, nil
}
