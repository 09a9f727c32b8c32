// Package sheet writes link sheets for researchers probing authMethods
// values: one row per mask with its methods, what the catalog knows of it,
// and the register link to try, as plain text, Markdown, HTML or CSV.
//
// The HTML form is one standalone page with clickable links and an empty
// column to note what the wizard showed for each value.
package sheet

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/authmethods/authmethods/bitmask"
)

// Row is one line of a sheet.
type Row struct {
	Mask   bitmask.Mask
	Status bitmask.Provenance // what the catalog knows of the value
	Source string             // where it is documented or was seen, if anywhere
	Link   string             // the register link to try
}

// Format is an output form of a sheet.
type Format uint8

const (
	Text Format = iota
	Markdown
	HTML
	CSV
)

var formatNames = [...]string{Text: "text", Markdown: "markdown", HTML: "html", CSV: "csv"}

func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "format(" + strconv.Itoa(int(f)) + ")"
}

// ParseFormat reads a format name: text, markdown (or md), html, csv.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "text", "txt":
		return Text, nil
	case "markdown", "md":
		return Markdown, nil
	case "html":
		return HTML, nil
	case "csv":
		return CSV, nil
	}
	return 0, fmt.Errorf("unknown format %q (want text, markdown, html or csv)", s)
}

// Columns are the column headings, in order.
var Columns = []string{"mask", "methods", "catalog", "link"}

// Write writes the rows to w in format f, streaming: rows are not held in
// memory. title heads the HTML page and the Markdown table.
func Write(w io.Writer, f Format, title string, rows iter.Seq[Row]) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch f {
	case Text:
		err = writeText(bw, rows)
	case Markdown:
		err = writeMarkdown(bw, title, rows)
	case HTML:
		err = writeHTML(bw, title, rows)
	case CSV:
		err = writeCSV(bw, rows)
	default:
		return fmt.Errorf("sheet: unknown format %d", f)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// methods is the Methods cell: Graph names in bit order, unknown bits in hex.
func methods(m bitmask.Mask) string { return m.String() }

func status(r Row) string { return r.Status.String() }

// Text: fixed-width columns first and the method list, the one cell of
// unbounded width, last. Links are padded to the width of one with a
// seven-digit mask, so the columns line up for any mask up to 9999999.
func writeText(w *bufio.Writer, rows iter.Seq[Row]) error {
	fmt.Fprintf(w, "%10s  %-10s  %-78s  %s\n", "MASK", "CATALOG", "LINK", "METHODS")
	for r := range rows {
		if _, err := fmt.Fprintf(w, "%10d  %-10s  %-78s  %s\n", uint32(r.Mask), status(r), r.Link, methods(r.Mask)); err != nil {
			return err
		}
	}
	return nil
}

// mdEscape keeps a cell from breaking the table: '|' and newlines.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}

func writeMarkdown(w *bufio.Writer, title string, rows iter.Seq[Row]) error {
	if title != "" {
		fmt.Fprintf(w, "## %s\n\n", mdEscape(title))
	}
	w.WriteString("| mask | methods | catalog | link | what the wizard showed |\n")
	w.WriteString("| ---: | --- | --- | --- | --- |\n")
	for r := range rows {
		if _, err := fmt.Fprintf(w, "| %d | %s | %s | <%s> | |\n", uint32(r.Mask), mdEscape(methods(r.Mask)), status(r), r.Link); err != nil {
			return err
		}
	}
	return nil
}

func writeCSV(w *bufio.Writer, rows iter.Seq[Row]) error {
	c := csv.NewWriter(w)
	if err := c.Write(Columns); err != nil {
		return err
	}
	for r := range rows {
		if err := c.Write([]string{strconv.FormatUint(uint64(r.Mask), 10), methods(r.Mask), status(r), r.Link}); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}

const htmlHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>%s</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; vertical-align: top; }
th { background: #eee; text-align: left; }
td.mask { text-align: right; font-family: monospace; }
td.methods { font-family: monospace; font-size: 0.9em; }
td.observed { background: #fff4d6; }
td.unknown { background: #f3f3f3; }
td.note { min-width: 16em; }
</style>
</head>
<body>
<h1>%s</h1>
<p>One row per authMethods value. Open a link while signed in as a test user and note what the
security-info wizard offered. What the wizard does with a value is not documented by Microsoft:
record what you see. Generated offline by authmethods.</p>
<table>
<thead><tr><th>mask</th><th>methods</th><th>catalog</th><th>link</th><th>what the wizard showed</th></tr></thead>
<tbody>
`

const htmlTail = `</tbody>
</table>
</body>
</html>
`

func writeHTML(w *bufio.Writer, title string, rows iter.Seq[Row]) error {
	if title == "" {
		title = "authMethods link sheet"
	}
	t := html.EscapeString(title)
	fmt.Fprintf(w, htmlHead, t, t)
	for r := range rows {
		link := html.EscapeString(r.Link)
		st := html.EscapeString(status(r))
		_, err := fmt.Fprintf(w, "<tr><td class=\"mask\">%d</td><td class=\"methods\">%s</td><td class=\"%s\" title=\"%s\">%s</td><td><a href=\"%s\" target=\"_blank\" rel=\"noopener noreferrer\">%s</a></td><td class=\"note\" contenteditable=\"true\"></td></tr>\n",
			uint32(r.Mask), html.EscapeString(strings.ReplaceAll(methods(r.Mask), ",", ", ")), st, html.EscapeString(r.Source), st, link, link)
		if err != nil {
			return err
		}
	}
	_, err := w.WriteString(htmlTail)
	return err
}
