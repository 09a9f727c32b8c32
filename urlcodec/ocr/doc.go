// Package ocr reads Microsoft Entra ID register links from screenshots: a
// browser's address bar, a chat, a mail, a terminal, a ticket. It runs the
// Tesseract OCR program (not a C library: building needs no cgo), finds
// the lines of text that look like links, reads those again as single
// lines when the first reading is not a valid link, repairs the few
// confusions OCR makes in links where the link's grammar leaves one
// reading, and parses what it read with package urlcodec.
//
// A link read by OCR is never as good as a link pasted: OCR can read a
// lookalike host such as micros0ft or rnicrosoft as microsoft. Every link
// found carries a warning that the letters of its host must be compared
// with the image. A line with the genuine host is read a second time, and
// when the readings name different hosts, or the genuine host appears only
// after lower-casing capitals OCR read, the link is ErrAmbiguous rather
// than trusted. An address cut off in the image (a phone's address bar
// ending in '…') is ErrCutOff, never the shorter number it shows.
//
// Phones underline links and wrap them in coloured bubbles: when the page
// reads as no link, Read reads it once more without its underlines and
// with a local threshold, which keeps text a bubble's colour hides from a
// global one.
//
// Tesseract is found on PATH or named by Reader.Tesseract; without it,
// Read fails with ErrNoTesseract, whose message says how to install it.
// Input is untrusted: the image's dimensions are checked before it is
// decoded, each Tesseract run has a timeout, and the image goes to
// Tesseract on its stdin, so no temporary file is left behind.
package ocr
