package serve

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/authmethods/authmethods/bitmask"
	"github.com/authmethods/authmethods/bitmask/strength"
)

//go:embed assets
var assets embed.FS

var pageTmpl = template.Must(template.ParseFS(assets, "assets/index.html"))

// pageData fills the page's template: the admin tab's choices come from the
// method and strength tables, never from a list of its own.
type pageData struct {
	Methods   []bitmask.Method
	Strengths []strength.Strength
	MaxBody   int64
}

// page is rendered once: it depends on nothing posted.
func (h *handler) renderPage() ([]byte, error) {
	var methods []bitmask.Method
	for _, m := range bitmask.Methods() {
		if m.Status != bitmask.Sentinel { // a placeholder, never a method to offer
			methods = append(methods, m)
		}
	}
	var b bytes.Buffer
	err := pageTmpl.Execute(&b, pageData{methods, strength.BuiltIn(), h.cfg.MaxBody})
	return b.Bytes(), err
}

func (h *handler) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(h.html)
}

// assetHandler serves the script and the style sheet.
func assetHandler() http.Handler {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err)
	}
	files := http.FileServerFS(sub)
	return http.StripPrefix("/assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "index.html" || r.URL.Path == "" { // the template, not an asset
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
}
