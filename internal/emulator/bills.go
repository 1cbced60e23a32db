package emulator

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/calendar"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// DefaultLinesPerDay is the number of bill lines a day holds when the
// configuration leaves it at 0.
const DefaultLinesPerDay = 40

// Bills is the emulator's bill data. A day's lines are generated when asked
// for, from the seed and the day alone, so every date has data, the same
// data in every run, whatever else the emulator generates.
type Bills struct {
	LinesPerDay int
	// Extra lines are served after the generated lines of their day. Tests
	// add lines with particular values here before the first request.
	Extra []fptapi.BillLine

	seed      uint64
	resources []billedResource
	fee       *billedResource // billed the monthly fee on the 1st
	now       func() time.Time
	anchor    monthIndex // the month of the clock when the data were generated

	// Lines that arrived while the emulator was serving (see arrivals.go),
	// in order of arrival. The list only grows, so its first n entries are
	// the data as it was when n lines had arrived.
	arrivedMu sync.RWMutex
	arrived   []fptapi.BillLine
}

// billedResource is one thing that appears on bills, day after day.
type billedResource struct {
	org, tenant, vpc, pool *string
	service, name          string
	attachVM, policy       *string
	machine                *string
	disk, vcpu, ram        *json.Number
	diskQ, cpuQ, ramQ      *json.Number
	tag                    *string
	hourly                 int64 // price of one hour, in 1/10000 VND
}

func ptr[T any](v T) *T { return &v }

func num(text string) *json.Number { n := json.Number(text); return &n }

// Catalog of the generated tenants. Names are partly Vietnamese and
// Japanese so that non-ASCII text goes through every layer.
var (
	billOrgs    = []*string{ptr("FPT Software"), ptr("Công ty Cổ phần Ánh Dương"), nil}
	billTenants = []string{"tenant-hanoi", "tenant-saigon", "テナント-tokyo"}
	billVPCs    = [][]string{{"prod-vpc", "staging-vpc"}, {"vpc-dữ-liệu", "prod-vpc-hcm"}, {"東京-vpc"}}
	billTags    = []*string{ptr("env:prod"), ptr("env:staging"), ptr("team:payments"), ptr("dự-án:alpha"), nil, nil}
	billNames   = map[string][]string{
		"Instance":       {"web-01", "web-02", "máy-chủ-api", "worker-東京", "bastion"},
		"Storage":        {"vol-data-01", "ổ-đĩa-log", "vol-backup"},
		"Floating IP":    {"fip-web", "fip-bastion"},
		"Load Balancer":  {"lb-public", "lb-nội-bộ"},
		"Kubernetes":     {"k8s-prod", "cụm-k8s-dev"},
		"Object Storage": {"bucket-assets", "バケット-logs"},
		"Database":       {"pg-main", "cơ-sở-dữ-liệu-phụ"},
		"Backup":         {"backup-daily"},
	}
)

// generateBills sets up the bill data. It draws from its own generator,
// seeded from cfg.Seed, so that the bills stay the same whatever else is
// generated; the shared generator is left alone.
func (d *Dataset) generateBills(cfg Config, _ *rand.Rand) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xb1115))
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	b := &Bills{LinesPerDay: cfg.LinesPerDay, seed: cfg.Seed, now: now, anchor: monthOf(now().In(APITimeZone))}
	if b.LinesPerDay <= 0 {
		b.LinesPerDay = DefaultLinesPerDay
	}
	for _, st := range serviceTypes {
		for _, name := range billNames[st.Name] {
			t := rng.IntN(len(billTenants))
			r := billedResource{
				org:     billOrgs[t],
				tenant:  ptr(billTenants[t]),
				service: st.Name,
				name:    name,
				tag:     billTags[rng.IntN(len(billTags))],
				hourly:  int64(5_000_000 + rng.IntN(500_000_000)), // 500 .. 50500 VND an hour
			}
			if st.Name != "Object Storage" && st.Name != "Backup" && rng.IntN(5) > 0 {
				vpcs := billVPCs[t]
				r.vpc = ptr(vpcs[rng.IntN(len(vpcs))])
				r.pool = ptr(fmt.Sprintf("pool-%c", 'a'+rng.IntN(3)))
			}
			switch st.Name {
			case "Instance", "Kubernetes", "Database":
				vcpu, ram := 1<<rng.IntN(4), 2<<rng.IntN(4)
				r.machine = ptr(fmt.Sprintf("c%d.r%d", vcpu, ram))
				r.vcpu, r.ram, r.disk = num(fmt.Sprint(vcpu)), num(fmt.Sprint(ram)), num(fmt.Sprint(20*(1+rng.IntN(5))))
				r.cpuQ, r.ramQ = num(fmt.Sprint(vcpu)), num(fmt.Sprint(ram))
			case "Storage":
				size := 10 * (1 + rng.IntN(50))
				r.disk, r.diskQ = num(fmt.Sprint(size)), num(fmt.Sprintf("%d.5", size))
				r.policy = ptr([]string{"SSD-Premium", "HDD-Standard"}[rng.IntN(2)])
				r.attachVM = ptr(billNames["Instance"][rng.IntN(len(billNames["Instance"]))])
			}
			b.resources = append(b.resources, r)
		}
	}
	for i := range b.resources {
		if b.resources[i].service == monthlyFeeService && b.fee == nil {
			b.fee = &b.resources[i]
		}
	}
	d.Bills = b
}

// Day returns the lines of day (YYYY-MM-DD) in the order the API serves
// them: the lines that arrived while serving, newest first, then the
// generated lines by start time, then the Extra lines of that day.
func (b *Bills) Day(day string) []fptapi.BillLine {
	arrived := b.snapshot()
	return b.dayLines(day, 0, b.dayCount(day, arrived), arrived)
}

// dayLines returns lines lo..hi-1 of day, generating only those, with
// arrived the lines that have arrived so far.
func (b *Bills) dayLines(day string, lo, hi int, arrived []fptapi.BillLine) []fptapi.BillLine {
	date, err := time.Parse(time.DateOnly, day)
	if err != nil || lo >= hi {
		return nil
	}
	lines := make([]fptapi.BillLine, 0, hi-lo)
	fresh := 0                               // lines that arrived for day
	for j := len(arrived) - 1; j >= 0; j-- { // newest first
		if arrived[j].Day == day {
			if fresh >= lo && fresh < hi {
				lines = append(lines, arrived[j])
			}
			fresh++
		}
	}
	generated := b.generated(date)
	for k := max(lo-fresh, 0); k < min(hi-fresh, generated); k++ {
		lines = append(lines, b.line(date, k))
	}
	i := fresh + generated
	for _, extra := range b.Extra {
		if extra.Day == day && b.started(&extra) {
			if i >= lo && i < hi {
				lines = append(lines, extra)
			}
			i++
		}
	}
	return lines
}

// Range returns the lines of every day from from to to (inclusive), day by day.
func (b *Bills) Range(from, to string) []fptapi.BillLine {
	return b.RangeAt(from, to, b.Arrived())
}

// RangeAt returns the lines of every day from from to to (inclusive), as
// they were when the first arrived lines had arrived (at most Arrived()):
// the data at one instant of the emulator's past.
func (b *Bills) RangeAt(from, to string, arrived int) []fptapi.BillLine {
	lines := b.snapshot()
	lines = lines[:max(0, min(arrived, len(lines)))]
	var out []fptapi.BillLine
	for _, day := range daysBetween(from, to) {
		out = append(out, b.dayLines(day, 0, b.dayCount(day, lines), lines)...)
	}
	return out
}

// BillLines is the lines of the days from from to to, inclusive: what both
// bill endpoints serve, before filters.
func (d *Dataset) BillLines(from, to string) []fptapi.BillLine {
	return d.Bills.Range(from, to)
}

// dayCount is how many lines day holds, without generating them.
func (b *Bills) dayCount(day string, arrived []fptapi.BillLine) int {
	date, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0
	}
	n := b.generated(date)
	for _, extra := range b.Extra {
		if extra.Day == day && b.started(&extra) {
			n++
		}
	}
	for i := range arrived {
		if arrived[i].Day == day {
			n++
		}
	}
	return n
}

// line generates line i of date from a generator seeded by the seed, the
// day and i alone.
func (b *Bills) line(date time.Time, i int) fptapi.BillLine {
	h := fnv.New64a()
	_, _ = fmt.Fprintf(h, "%d/%s/%d", b.seed, date.Format(time.DateOnly), i)
	rng := rand.New(rand.NewPCG(h.Sum64(), 0xb1115))
	r := &b.resources[rng.IntN(len(b.resources))]
	if i == 0 && date.Day() == 1 {
		return b.monthlyFee(date)
	}

	// Lines spread over the day in start-time order; each bills up to an hour.
	minute := i * 24 * 60 / b.LinesPerDay
	start := date.Add(time.Duration(minute) * time.Minute)
	startText := start.Format(time.DateTime)
	if i%7 == 3 {
		// Some lines carry RFC 3339 with the account's offset: the same instant.
		startText = start.Format("2006-01-02T15:04:05") + "+07:00"
	}
	minutes := int64(15 * (1 + rng.IntN(4))) // 15, 30, 45 or 60 minutes billed
	// Amounts are exact decimals made from integers (never float64):
	// hourly in 1/10000 VND × minutes / 60, rounded down to 1/10000.
	// The account's rhythm: see scale.
	price := b.scale(r.hourly*minutes/60, date)
	priceText := fmt.Sprintf("%d.%04d", price/10000, price%10000)
	switch n := rng.IntN(1000); {
	case n < 30:
		priceText = "0.1" // sums that float64 gets wrong
	case n < 60:
		priceText = "0.2"
	case n < 70:
		priceText = "0" // free
	}
	running := num(fmt.Sprintf("%d.%02d", minutes/60, minutes%60*100/60))
	line := fptapi.BillLine{
		OrgName: r.org, TenantName: r.tenant, VPCName: r.vpc, PoolName: r.pool,
		Day: date.Format(time.DateOnly), StartTime: startText, Service: r.service, Name: r.name,
		AttachVM: r.attachVM, StoragePolicy: r.policy, Machine: r.machine,
		Disk: r.disk, VCPU: r.vcpu, RAM: r.ram, RunningTime: running,
		TotalPrice:   json.Number(priceText),
		DiskQuantity: r.diskQ, CPUQuantity: r.cpuQ, RAMQuantity: r.ramQ,
		Tag: r.tag,
	}
	if r.disk != nil {
		line.DiskTotal = num(fmt.Sprintf("%s.%d", r.disk.String(), rng.IntN(10)))
	}
	if r.vcpu != nil {
		line.VCPUTotal, line.RAMTotal = r.vcpu, r.ram
	}
	return line
}

// daysBetween lists the days from from to to (YYYY-MM-DD, inclusive); none
// when either is not a date.
func daysBetween(from, to string) []string {
	start, err1 := time.Parse(time.DateOnly, from)
	end, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return nil
	}
	return calendar.Days(start, end)
}

// registerBills routes both bill endpoints. They share a path, so faults
// injected for fptapi.BillsEndpoint hit either.
func (s *Server) registerBills() {
	s.route("POST "+fptapi.BillsEndpoint, s.handleBillsPage)
	s.route("GET "+fptapi.BillsEndpoint, s.handleBillsByDate)
}

// billsPageRequest is the body of the paging endpoint.
type billsPageRequest struct {
	FromDate string `json:"from_date"`
	ToDate   string `json:"to_date"`
	Page     int    `json:"page"`
	PageSize int    `json:"page_size"`
	Service  string `json:"service"`
	VPCName  string `json:"vpc_name"`
}

// maxBillRangeDays bounds the range of one paging request.
const maxBillRangeDays = 400

func (s *Server) handleBillsPage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.DeprecatedOnly {
		w.Header().Set("Allow", http.MethodGet)
		s.writeError(w, http.StatusMethodNotAllowed, "Method not allowed: use GET /v1/billing/bills?search_date=YYYY-MM-DD")
		return
	}
	if s.cfg.PagingStatus != 0 {
		s.writeError(w, s.cfg.PagingStatus, pagingRefusal(s.cfg.PagingStatus))
		return
	}
	var req billsPageRequest
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(raw, &req)
	}
	if err != nil {
		s.writeError(w, http.StatusBadRequest, "Bad request: the body is not a JSON object")
		return
	}
	if req.Page == 0 {
		req.Page = 1
	}
	if req.PageSize == 0 {
		req.PageSize = 100
	}
	days := daysBetween(req.FromDate, req.ToDate)
	switch {
	case !validDay(req.FromDate) || !validDay(req.ToDate):
		s.writeError(w, http.StatusBadRequest, "Bad request: from_date and to_date must be dates (YYYY-MM-DD)")
		return
	case len(days) == 0:
		s.writeError(w, http.StatusBadRequest, "Bad request: from_date is after to_date")
		return
	case len(days) > maxBillRangeDays:
		s.writeError(w, http.StatusBadRequest, fmt.Sprintf("Bad request: the range is longer than %d days", maxBillRangeDays))
		return
	case req.Page < 1 || req.PageSize < 1 || req.PageSize > fptapi.MaxBillsPageSize:
		s.writeError(w, http.StatusBadRequest, fmt.Sprintf("Bad request: page must be at least 1 and page_size between 1 and %d", fptapi.MaxBillsPageSize))
		return
	}

	s.billArrivals(req.ToDate)
	arrived := s.Data.Bills.snapshot() // one instant for the whole answer
	filtered := req.Service != "" || req.VPCName != ""
	keep := func(l *fptapi.BillLine) bool {
		return (req.Service == "" || l.Service == req.Service) &&
			(req.VPCName == "" || (l.VPCName != nil && *l.VPCName == req.VPCName))
	}
	// Count the range, then generate only the days the page touches.
	counts := make([]int, len(days))
	var cached map[int][]fptapi.BillLine
	if filtered {
		cached = map[int][]fptapi.BillLine{}
	}
	total := 0
	for i, day := range days {
		if filtered {
			var kept []fptapi.BillLine
			for _, l := range s.Data.Bills.dayLines(day, 0, s.Data.Bills.dayCount(day, arrived), arrived) {
				if keep(&l) {
					kept = append(kept, l)
				}
			}
			cached[i], counts[i] = kept, len(kept)
		} else {
			counts[i] = s.Data.Bills.dayCount(day, arrived)
		}
		total += counts[i]
	}
	first, last := (req.Page-1)*req.PageSize, req.Page*req.PageSize // [first, last)
	page := make([]fptapi.BillLine, 0, min(req.PageSize, max(0, total-first)))
	offset := 0
	for i, day := range days {
		if offset >= last {
			break
		}
		if offset+counts[i] > first {
			lo, hi := max(0, first-offset), min(counts[i], last-offset)
			if lines, ok := cached[i]; ok {
				page = append(page, lines[lo:hi]...)
			} else {
				page = append(page, s.Data.Bills.dayLines(day, lo, hi, arrived)...)
			}
		}
		offset += counts[i]
	}
	s.writeData(w, "Get bills successfully", page, map[string]any{
		"total": total, "page": req.Page, "page_size": req.PageSize,
	})
}

func (s *Server) handleBillsByDate(w http.ResponseWriter, r *http.Request) {
	day := r.URL.Query().Get("search_date")
	if day == "" {
		day = s.now().Format(time.DateOnly)
	}
	if !validDay(day) {
		s.writeError(w, http.StatusBadRequest, "Bad request: search_date must be a date (YYYY-MM-DD)")
		return
	}
	s.billArrivals(day)
	s.writeData(w, "Get bills successfully", nonNil(s.Data.Bills.Day(day)), map[string]any{"date": day})
}

func validDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
