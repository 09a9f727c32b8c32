package main

// Tables: drawn with lipgloss on a terminal and fitted to its width,
// aligned plain text in a pipe.

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
)

// minCell is the narrowest a table column is squeezed to (when its cells
// are wider); a table that needs narrower columns is written as records.
const minCell = 10

// table renders rows under head: a rounded lipgloss table on a terminal,
// fitted to c.width by wrapping cells (fitColumns); columns aligned with
// spaces otherwise (stable, no escape codes).
func (c *invocation) table(head []string, rows [][]string) string {
	if c.styled {
		head, rows, fits := fitColumns(head, rows, c.width)
		if !fits {
			return c.records(head, rows)
		}
		t := table.New().
			Border(lipgloss.RoundedBorder()).
			BorderStyle(c.st.dim).
			Headers(head...).
			Rows(rows...).
			StyleFunc(func(row, col int) lipgloss.Style {
				s := c.st.dim.UnsetFaint().Padding(0, 1)
				if row == table.HeaderRow {
					return s.Inherit(c.st.head)
				}
				return s
			})
		return t.Render() + "\n"
	}
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(head, "\t")))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	// tabwriter pads every cell but the last; trim trailing blanks anyway.
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// fitColumns wraps the cells of a table so that, drawn with borders and a
// space either side of each cell, it fits width columns. A header is never
// wrapped or cut (lipgloss draws one line of header): each column keeps at
// least its header's width; narrow columns get their whole width and the
// wide ones share what is left. fits is false when the headers do not fit,
// or a column would be squeezed below minCell.
func fitColumns(head []string, rows [][]string, width int) (_ []string, _ [][]string, fits bool) {
	n := len(head)
	avail := width - (n + 1) - 2*n // borders and padding
	natural, least := make([]int, n), make([]int, n)
	for i, h := range head {
		natural[i] = lipgloss.Width(h)
		least[i] = natural[i]
	}
	for _, r := range rows {
		for i := 0; i < n && i < len(r); i++ {
			natural[i] = max(natural[i], lipgloss.Width(r[i]))
		}
	}
	sumNatural, sumLeast := 0, 0
	for i := range natural {
		sumNatural += natural[i]
		sumLeast += least[i]
	}
	switch {
	case sumNatural <= avail:
		return head, rows, true
	case sumLeast > avail:
		return head, rows, false
	}
	// Narrow columns first get all they need; the wide ones share the rest.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return natural[order[a]] < natural[order[b]] })
	widths := make([]int, n)
	remaining := avail
	for k, i := range order {
		widths[i] = min(natural[i], max(remaining/(n-k), least[i]))
		remaining -= widths[i]
	}
	// A header wider than its share overspent: take it back from the
	// columns with the most room above their header.
	for ; remaining < 0; remaining++ {
		widest := 0
		for i := range widths {
			if widths[i]-least[i] > widths[widest]-least[widest] {
				widest = i
			}
		}
		widths[widest]--
	}
	// Columns squeezed to a few letters a line read worse than records.
	for i := range widths {
		if widths[i] < min(natural[i], minCell) {
			return head, rows, false
		}
	}
	cell := func(s string, w int) string { return lipgloss.NewStyle().Width(w).Render(s) }
	fitted := make([]string, n)
	copy(fitted, head)
	out := make([][]string, len(rows))
	for j, r := range rows {
		out[j] = make([]string, len(r))
		for i, s := range r {
			if i < n {
				s = cell(s, widths[i])
			}
			out[j][i] = s
		}
	}
	return fitted, out, true
}

// records writes a table too wide for the terminal as one block per row:
// the first cell in bold, then "header: cell" for each other non-empty cell,
// wrapped to the width. A row with an empty first cell continues the block
// above (the strengths table has a row per combination).
func (c *invocation) records(head []string, rows [][]string) string {
	var b strings.Builder
	for j, r := range rows {
		if j > 0 && len(r) > 0 && strings.TrimSpace(r[0]) != "" {
			b.WriteByte('\n')
		}
		for i, s := range r {
			if i >= len(head) || strings.TrimSpace(s) == "" {
				continue
			}
			line := "  " + c.paint(c.st.dim, head[i]+":") + " " + s
			if i == 0 {
				line = c.paint(c.st.head, head[i]+" "+s)
			}
			b.WriteString(wrap(line, c.width, 4) + "\n")
		}
	}
	return b.String()
}
