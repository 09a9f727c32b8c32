package strength

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/authmethods/authmethods/bitmask"
)

func decodeFile(t *testing.T, name string) []Strength {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list, err := Decode(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func mustFind(t *testing.T, list []Strength, key string) Strength {
	t.Helper()
	s, err := Find(list, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The union masks are derived from the data, so these exact numbers catch a
// wrong or missing combination in the table or in the decoder.
func TestUnion(t *testing.T) {
	builtIn := BuiltIn()
	custom := decodeFile(t, "custom.json")
	tests := []struct {
		list []Strength
		key  string
		want bitmask.Mask
	}{
		{builtIn, "phishing-resistant", 8288},
		{builtIn, "passwordless", 8544},
		{builtIn, "mfa", 63487},
		{custom, "Contoso keys or Hello", 113},
	}
	for _, tt := range tests {
		if got := mustFind(t, tt.list, tt.key).Union(); got != tt.want {
			t.Errorf("%s: Union() = %d (%v), want %d (%v)", tt.key, got, got, tt.want, tt.want)
		}
	}
	// Graph's own list response gives the same numbers as the table.
	var got []bitmask.Mask
	for _, s := range decodeFile(t, "list.json") {
		got = append(got, s.Union())
	}
	if want := []bitmask.Mask{63487, 8544, 8288, 113}; !slices.Equal(got, want) {
		t.Errorf("list.json unions = %v, want %v", got, want)
	}
	if (Strength{}).Union() != 0 {
		t.Error("empty strength has a union")
	}
}

func TestBuiltInTable(t *testing.T) {
	list := BuiltIn()
	ids := []string{"00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000003", "00000000-0000-0000-0000-000000000004"}
	names := []string{"Multifactor authentication", "Passwordless MFA", "Phishing-resistant MFA"}
	counts := []int{19, 4, 3} // combinations per strength in Graph's response example
	if len(list) != len(ids) {
		t.Fatalf("%d built-ins, want %d", len(list), len(ids))
	}
	for i, s := range list {
		if s.ID != ids[i] || s.Name != names[i] || !s.BuiltIn || s.Source == "" || s.Description == "" || len(s.Aliases) == 0 {
			t.Errorf("built-in %d = %+v", i, s)
		}
		if len(s.Combinations) != counts[i] {
			t.Errorf("%s: %d combinations, want %d", s.Name, len(s.Combinations), counts[i])
		}
		for _, c := range s.Combinations {
			if c == 0 || c.Unknown() != 0 || c.Count() > 2 {
				t.Errorf("%s: combination %v", s.Name, c)
			}
		}
		if slices.Contains(s.Combinations, 17) != (i == 0) {
			t.Errorf("%s: password,sms (17) listed = %v", s.Name, !(i == 0))
		}
	}
	// A strength's combinations are a subset of the weaker one's.
	for i := 1; i < len(list); i++ {
		for _, c := range list[i].Combinations {
			if !slices.Contains(list[i-1].Combinations, c) {
				t.Errorf("%s allows %v but %s does not", list[i].Name, c, list[i-1].Name)
			}
		}
	}
	// Callers get copies.
	list[0].Combinations[0] = 0
	list[0].Aliases[0] = "changed"
	if again := BuiltIn(); again[0].Combinations[0] == 0 || again[0].Aliases[0] == "changed" {
		t.Error("BuiltIn shares its slices")
	}
}

func TestRelateAllowed(t *testing.T) {
	list := BuiltIn()
	tests := []struct {
		key                 string
		m                   bitmask.Mask
		allowed, notAllowed bitmask.Mask
	}{
		// 1976: softwareOath, sms, fido2, push, deviceBasedPush, both TAPs.
		{"phr", 1976, 32, 1944},
		{"passwordless", 1976, 288, 1688},
		{"mfa", 1976, 1976, 0},
		{"mfa", 2048, 0, 2048},             // email is in no built-in strength
		{"mfa", 0x40000 | 16, 16, 0x40000}, // unknown bits are never allowed
		{"phr", 0, 0, 0},
	}
	for _, tt := range tests {
		fits, _ := Relate(tt.m, []Strength{mustFind(t, list, tt.key)})
		if a, n := fits[0].Allowed, fits[0].NotAllowed; a != tt.allowed || n != tt.notAllowed {
			t.Errorf("Relate(%d, %s): Allowed, NotAllowed = %d, %d; want %d, %d", tt.m, tt.key, a, n, tt.allowed, tt.notAllowed)
		}
	}
}

func TestRelate(t *testing.T) {
	list := BuiltIn()
	custom := decodeFile(t, "custom.json")
	tests := []struct {
		name    string
		m       bitmask.Mask
		list    []Strength
		closest string // "" for none
		exact   bool
	}{
		{"phishing-resistant exact", 8288, list, "Phishing-resistant MFA", true},
		{"passwordless exact", 8544, list, "Passwordless MFA", true},
		{"multifactor exact", 63487, list, "Multifactor authentication", true},
		{"1976 only MFA allows all", 1976, list, "Multifactor authentication", false},
		{"1720", 1720, list, "Multifactor authentication", false},
		{"fido2 alone: tightest", 32, list, "Phishing-resistant MFA", false},
		{"phone sign-in: tightest", 256, list, "Passwordless MFA", false},
		{"email: nothing", 2048, list, "", false},
		{"zero: nothing", 0, list, "", false},
		{"fido2+email: overlap tie, fewer bits", 32 | 2048, list, "Phishing-resistant MFA", false},
		{"sms+email: overlap", 16 | 2048, list, "Multifactor authentication", false},
		{"unknown bit: overlap", 1976 | 0x40000, list, "Multifactor authentication", false},
		{"custom exact beats MFA", 113, Merge(list, custom), "Contoso keys or Hello", true},
		{"custom tighter than MFA", 17, Merge(list, custom), "Contoso keys or Hello", false},
		{"empty list", 8288, nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fits, c := Relate(tt.m, tt.list)
			if len(fits) != len(tt.list) {
				t.Fatalf("%d fits for %d strengths", len(fits), len(tt.list))
			}
			for i, f := range fits {
				u := tt.list[i].Union()
				if f.Strength.ID != tt.list[i].ID || f.Allowed|f.NotAllowed != tt.m || f.Allowed&^u != 0 || f.NotAllowed&u != 0 || f.Exact != (tt.m != 0 && u == tt.m) {
					t.Errorf("fit %d = %+v", i, f)
				}
			}
			got := ""
			if c >= 0 {
				got = fits[c].Strength.Name
			}
			if got != tt.closest {
				t.Fatalf("closest = %q, want %q", got, tt.closest)
			}
			if c >= 0 && fits[c].Exact != tt.exact {
				t.Errorf("exact = %v", fits[c].Exact)
			}
		})
	}
}

func TestFind(t *testing.T) {
	list := BuiltIn()
	tests := []struct {
		key, want string
	}{
		{"mfa", "Multifactor authentication"},
		{"MFA", "Multifactor authentication"},
		{"multi-factor", "Multifactor authentication"},
		{"Multifactor Authentication", "Multifactor authentication"},
		{"00000000-0000-0000-0000-000000000002", "Multifactor authentication"},
		{"passwordless", "Passwordless MFA"},
		{"passwordless-mfa", "Passwordless MFA"},
		{" 00000000-0000-0000-0000-000000000003 ", "Passwordless MFA"},
		{"phishing-resistant", "Phishing-resistant MFA"},
		{"phishingresistant", "Phishing-resistant MFA"},
		{"Phishing_Resistant", "Phishing-resistant MFA"},
		{"PHR", "Phishing-resistant MFA"},
		{"Phishing resistant MFA", "Phishing-resistant MFA"}, // Graph's spelling
		{"00000000-0000-0000-0000-000000000004", "Phishing-resistant MFA"},
	}
	for _, tt := range tests {
		s, err := Find(list, tt.key)
		if err != nil || s.Name != tt.want {
			t.Errorf("Find(%q) = %q, %v; want %q", tt.key, s.Name, err, tt.want)
		}
	}

	_, err := Find(list, "phishing-resistent")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `did you mean "phishing-resistant"?`) ||
		!strings.Contains(err.Error(), "Passwordless MFA (passwordless)") {
		t.Errorf("typo: %v", err)
	}
	for _, key := range []string{"", "  ", "-", "xyz", strings.Repeat("x", 1000)} {
		if _, err := Find(list, key); !errors.Is(err, ErrNotFound) || len(err.Error()) > 400 {
			t.Errorf("Find(%.20q) = %v", key, err)
		}
	}
	if _, err := Find(nil, "mfa"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "known: none") {
		t.Errorf("empty list: %v", err)
	}
	many := make([]Strength, 500)
	for i := range many {
		many[i] = Strength{ID: strings.Repeat("x", i+1), Name: "A strength with a fairly long display name"}
	}
	if _, err := Find(many, "nothing"); !errors.Is(err, ErrNotFound) || len(err.Error()) > 2000 || !strings.HasSuffix(err.Error(), " and 480 more") {
		t.Errorf("long list: %d bytes: %.100s", len(err.Error()), err)
	}

	// A name beats an alias: a custom strength called "MFA" wins over the
	// built-in's alias.
	mine := Strength{ID: "c1", Name: "MFA", Combinations: []bitmask.Mask{32}}
	if s := mustFind(t, append(BuiltIn(), mine), "mfa"); s.ID != "c1" {
		t.Errorf("name vs alias: got %q", s.Name)
	}
	// An id beats a name.
	odd := Strength{ID: "x", Name: "00000000-0000-0000-0000-000000000003", Combinations: []bitmask.Mask{32}}
	if s := mustFind(t, append(BuiltIn(), odd), "00000000-0000-0000-0000-000000000003"); s.ID != "00000000-0000-0000-0000-000000000003" {
		t.Errorf("id vs name: got %q", s.ID)
	}
	// Two strengths matching equally are ambiguous, not a guess.
	two := []Strength{{ID: "a", Name: "Keys"}, {ID: "b", Name: "keys"}}
	if _, err := Find(two, "KEYS"); !errors.Is(err, ErrAmbiguous) || !strings.Contains(err.Error(), `"Keys" (a), "keys" (b)`) {
		t.Errorf("ambiguous: %v", err)
	}
	// Without Merge, a Graph export beside the built-ins repeats their ids.
	both := append(BuiltIn(), decodeFile(t, "list.json")...)
	if _, err := Find(both, "phr"); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("unmerged: %v", err)
	}
	// Find hands out copies.
	s := mustFind(t, list, "mfa")
	s.Combinations[0] = 0
	if list[0].Combinations[0] == 0 {
		t.Error("Find shares its slices")
	}
}

func TestMerge(t *testing.T) {
	graph := decodeFile(t, "list.json")
	list := Merge(BuiltIn(), graph)
	var names []string
	for _, s := range list {
		names = append(names, s.Name)
	}
	want := []string{"Multifactor authentication", "Passwordless MFA", "Phishing resistant MFA", "Contoso keys or Hello"}
	if !slices.Equal(names, want) {
		t.Fatalf("Merge names = %q, want %q", names, want)
	}
	// The export's built-in keeps the aliases (Decode gives them) and is
	// what Find returns.
	s := mustFind(t, list, "phr")
	if s.Name != "Phishing resistant MFA" || !strings.HasPrefix(s.Source, "list.json:") || !s.BuiltIn {
		t.Errorf("phr after merge = %+v", s)
	}
	if c := mustFind(t, list, "contoso keys or hello"); c.BuiltIn || len(c.Aliases) != 0 {
		t.Errorf("custom = %+v", c)
	}
	// Ids compare in any case; strengths without an id are all kept.
	got := Merge([]Strength{{ID: "AB", Name: "old"}, {Name: "n1"}}, []Strength{{ID: "ab", Name: "new"}, {Name: "n2"}})
	if len(got) != 3 || got[0].Name != "new" || got[1].Name != "n1" || got[2].Name != "n2" {
		t.Errorf("Merge = %+v", got)
	}
	if got := Merge(nil, nil); len(got) != 0 {
		t.Errorf("Merge(nil, nil) = %v", got)
	}
}

func TestUnionNote(t *testing.T) {
	for _, w := range []string{"derived", "not documented"} {
		if !strings.Contains(UnionNote, w) {
			t.Errorf("UnionNote lacks %q", w)
		}
	}
}
