// Command monthcsv checks the CSV files that the closing-a-month guide's
// commands write against the emulator's own bill lines: it reads every day
// of the month from the API (GET /v1/billing/bills?search_date=, decoded
// with json.Number), sums with big.Rat in plain loops (not with the
// provider's billing package), and compares every amount, share, rank and
// pivot cell exactly. It also checks the files' encoding: a UTF-8 byte
// order mark, valid UTF-8, RFC 4180 records ended by CRLF, and plain
// decimal text for amounts. scripts/closing-month-test.sh runs it.
package main

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// none is the key of lines without a VPC, tag or name, as the provider names it.
const none = "(none)"

var decimalText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]*[1-9])?$`)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "monthcsv:", err)
		os.Exit(1)
	}
}

// line is what the check needs of a bill line.
type line struct {
	Service    string      `json:"service"`
	VPC        *string     `json:"vpc_name"`
	Tag        *string     `json:"tag"`
	Name       string      `json:"name"`
	TotalPrice json.Number `json:"total_price"`
}

func orNone(s *string) string {
	if s == nil || *s == "" {
		return none
	}
	return *s
}

// sums are the month's exact totals.
type sums struct {
	lines  int
	total  *big.Rat
	by     map[string]map[string]*big.Rat // table (service, vpc, tag, resource) -> key -> sum
	pivot  map[[2]string]*big.Rat         // {service, vpc} -> sum
	nonASC int                            // keys that are not ASCII
}

func run() error {
	api := flag.String("api", "", "the emulator's base URL, ending in /api")
	token := flag.String("token", "", "the emulator's token")
	from := flag.String("from", "", "first day of the month, YYYY-MM-DD")
	to := flag.String("to", "", "last day of the month, YYYY-MM-DD")
	total := flag.String("total", "", "the month's total_price as the plan holds it (text)")
	dir := flag.String("dir", "", "the directory of the CSV files, month-<table>.csv")
	topN := flag.Int("top", 10, "how many rows top_resources holds at most")
	flag.Parse()
	if *api == "" || *token == "" || *from == "" || *to == "" || *total == "" || *dir == "" {
		return errors.New("-api, -token, -from, -to, -total and -dir are required")
	}
	s, err := fetch(*api, *token, *from, *to)
	if err != nil {
		return err
	}
	if s.lines == 0 {
		return fmt.Errorf("the emulator has no line in %s..%s: nothing would be checked", *from, *to)
	}
	if s.nonASC == 0 {
		return errors.New("no service, VPC, tag or name of the month is outside ASCII: the encoding would not be tested")
	}
	planned, ok := new(big.Rat).SetString(*total)
	if !ok || planned.Cmp(s.total) != 0 {
		return fmt.Errorf("the plan's total_price %s is not the sum of the emulator's %d lines, %s", *total, s.lines, text(s.total))
	}
	cells := 0
	for _, table := range []string{"service", "vpc", "tag", "resource"} {
		n, err := checkTotals(filepath.Join(*dir, "month-by_"+table+".csv"), table, s)
		if err != nil {
			return err
		}
		cells += n
	}
	n, err := checkTop(filepath.Join(*dir, "month-top_resources.csv"), s, *topN)
	if err != nil {
		return err
	}
	cells += n
	if n, err = checkPivot(filepath.Join(*dir, "month-service_by_vpc.csv"), s); err != nil {
		return err
	}
	cells += n
	fmt.Printf("ok: 6 CSV files, %d amounts and shares equal to the exact sums of the emulator's %d lines of %s..%s (total %s VND)\n",
		cells, s.lines, *from, *to, text(s.total))
	return nil
}

// fetch sums the lines of every day from..to, read one day at a time.
func fetch(api, token, from, to string) (*sums, error) {
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, err
	}
	t, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return nil, err
	}
	s := &sums{total: new(big.Rat), by: map[string]map[string]*big.Rat{}, pivot: map[[2]string]*big.Rat{}}
	seen := map[string]bool{}
	add := func(table, key string, v *big.Rat) {
		if s.by[table] == nil {
			s.by[table] = map[string]*big.Rat{}
		}
		if s.by[table][key] == nil {
			s.by[table][key] = new(big.Rat)
		}
		s.by[table][key].Add(s.by[table][key], v)
		if !seen[key] && strings.ContainsFunc(key, func(r rune) bool { return r >= utf8.RuneSelf }) {
			s.nonASC++
		}
		seen[key] = true
	}
	for d := f; !d.After(t); d = d.AddDate(0, 0, 1) {
		req, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(api, "/")+"/v1/billing/bills?search_date="+url.QueryEscape(d.Format(time.DateOnly)), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		var body struct {
			Data []line `json:"data"`
		}
		dec := json.NewDecoder(resp.Body)
		dec.UseNumber()
		err = dec.Decode(&body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET bills of %s: HTTP %d: %v", d.Format(time.DateOnly), resp.StatusCode, err)
		}
		for _, l := range body.Data {
			v, ok := new(big.Rat).SetString(l.TotalPrice.String())
			if !ok {
				return nil, fmt.Errorf("total_price %q is not a number", l.TotalPrice)
			}
			s.lines++
			s.total.Add(s.total, v)
			name := l.Name
			if name == "" {
				name = none
			}
			add("service", l.Service, v)
			add("vpc", orNone(l.VPC), v)
			add("tag", orNone(l.Tag), v)
			add("resource", name, v)
			k := [2]string{l.Service, orNone(l.VPC)}
			if s.pivot[k] == nil {
				s.pivot[k] = new(big.Rat)
			}
			s.pivot[k].Add(s.pivot[k], v)
		}
	}
	return s, nil
}

// readCSV reads file strictly: a byte order mark, valid UTF-8, RFC 4180
// records of one width, each ended by CRLF.
func readCSV(file string) ([][]string, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	body, ok := bytes.CutPrefix(raw, []byte("\xEF\xBB\xBF"))
	switch {
	case !ok:
		return nil, fmt.Errorf("%s does not start with the UTF-8 byte order mark", file)
	case !utf8.Valid(body):
		return nil, fmt.Errorf("%s is not valid UTF-8", file)
	case !bytes.HasSuffix(body, []byte("\r\n")):
		return nil, fmt.Errorf("%s does not end with CRLF", file)
	case bytes.Count(body, []byte("\n")) != bytes.Count(body, []byte("\r\n")):
		return nil, fmt.Errorf("%s has a line break that is not CRLF", file)
	}
	r := csv.NewReader(bytes.NewReader(body))
	records, err := r.ReadAll() // a fixed number of fields, no lazy quotes
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(records) < 2 {
		return nil, fmt.Errorf("%s holds no row under its header", file)
	}
	return records, nil
}

// amount reads the exact decimal text of an amount.
func amount(file, cell string) (*big.Rat, error) {
	if !decimalText.MatchString(cell) {
		return nil, fmt.Errorf("%s: %q is not plain decimal text (no exponent, no trailing zero after the point)", file, cell)
	}
	r, _ := new(big.Rat).SetString(cell)
	return r, nil
}

// share is 100 × part / total rounded half away from zero to 2 decimals.
func share(part, total *big.Rat) *big.Rat {
	r := new(big.Rat).Quo(new(big.Rat).Mul(part, big.NewRat(100, 1)), total)
	r.Mul(r, big.NewRat(100, 1))
	half := big.NewRat(1, 2)
	if r.Sign() < 0 {
		r.Sub(r, half)
	} else {
		r.Add(r, half)
	}
	q := new(big.Int).Quo(r.Num(), r.Denom())
	return new(big.Rat).SetFrac(q, big.NewInt(100))
}

func text(r *big.Rat) string {
	s := r.FloatString(20)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// sorted is a table's keys, largest amount first, equal amounts by key.
func sorted(m map[string]*big.Rat) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(m[b].Cmp(m[a]), strings.Compare(a, b)) })
	return keys
}

// checkRow compares one row's key, amount and share with the sums.
func checkRow(file string, row []string, key string, want, total *big.Rat) error {
	if row[0] != key {
		return fmt.Errorf("%s: row %q, want %q (largest first, equal amounts by key)", file, row[0], key)
	}
	got, err := amount(file, row[1])
	if err != nil {
		return err
	}
	if got.Cmp(want) != 0 {
		return fmt.Errorf("%s: %s is %s, the emulator's lines add up to %s", file, key, row[1], text(want))
	}
	wantShare := share(want, total)
	if gotShare, ok := new(big.Rat).SetString(row[2]); !ok || gotShare.Cmp(wantShare) != 0 {
		return fmt.Errorf("%s: %s's share is %q, want %s", file, key, row[2], text(wantShare))
	}
	return nil
}

func checkTotals(file, table string, s *sums) (int, error) {
	records, err := readCSV(file)
	if err != nil {
		return 0, err
	}
	if h := strings.Join(records[0], ","); h != table+",amount_vnd,share_percent" {
		return 0, fmt.Errorf("%s: header %q", file, h)
	}
	keys := sorted(s.by[table])
	if len(records)-1 != len(keys) {
		return 0, fmt.Errorf("%s: %d rows, the month has %d keys", file, len(records)-1, len(keys))
	}
	sum := new(big.Rat)
	for i, key := range keys {
		if err := checkRow(file, records[i+1], key, s.by[table][key], s.total); err != nil {
			return 0, err
		}
		sum.Add(sum, s.by[table][key])
	}
	if sum.Cmp(s.total) != 0 {
		return 0, fmt.Errorf("%s: the rows add up to %s, not the month's %s", file, text(sum), text(s.total))
	}
	return 2 * len(keys), nil
}

func checkTop(file string, s *sums, n int) (int, error) {
	records, err := readCSV(file)
	if err != nil {
		return 0, err
	}
	if h := strings.Join(records[0], ","); h != "rank,resource,amount_vnd,share_percent" {
		return 0, fmt.Errorf("%s: header %q", file, h)
	}
	keys := sorted(s.by["resource"])
	keys = keys[:min(n, len(keys))]
	if len(records)-1 != len(keys) {
		return 0, fmt.Errorf("%s: %d rows, want %d", file, len(records)-1, len(keys))
	}
	for i, key := range keys {
		row := records[i+1]
		if row[0] != strconv.Itoa(i+1) {
			return 0, fmt.Errorf("%s: rank %q on row %d", file, row[0], i+1)
		}
		if err := checkRow(file, row[1:], key, s.by["resource"][key], s.total); err != nil {
			return 0, err
		}
	}
	return 2 * len(keys), nil
}

func checkPivot(file string, s *sums) (int, error) {
	records, err := readCSV(file)
	if err != nil {
		return 0, err
	}
	vpcs, services := sorted(s.by["vpc"]), sorted(s.by["service"])
	header := append(append([]string{"service"}, vpcs...), "total")
	if !slices.Equal(records[0], header) {
		return 0, fmt.Errorf("%s: header %q, want %q", file, records[0], header)
	}
	if len(records) != len(services)+2 {
		return 0, fmt.Errorf("%s: %d rows, want a row per service (%d) and the total", file, len(records)-1, len(services))
	}
	cells := 0
	check := func(row []string, label string, want func(col int) *big.Rat) error {
		if row[0] != label {
			return fmt.Errorf("%s: row %q, want %q", file, row[0], label)
		}
		for col := 1; col < len(row); col++ {
			got, err := amount(file, row[col])
			if err != nil {
				return err
			}
			if w := want(col); got.Cmp(w) != 0 {
				return fmt.Errorf("%s: %s × %s is %s, the emulator's lines add up to %s", file, label, header[col], row[col], text(w))
			}
			cells++
		}
		return nil
	}
	for i, svc := range services {
		err := check(records[i+1], svc, func(col int) *big.Rat {
			if col == len(header)-1 {
				return s.by["service"][svc]
			}
			if v := s.pivot[[2]string{svc, vpcs[col-1]}]; v != nil {
				return v
			}
			return new(big.Rat)
		})
		if err != nil {
			return 0, err
		}
	}
	err = check(records[len(records)-1], "total", func(col int) *big.Rat {
		if col == len(header)-1 {
			return s.total
		}
		return s.by["vpc"][vpcs[col-1]]
	})
	return cells, err
}
