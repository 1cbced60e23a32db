package billing

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// The aggregation's money work, per line: parse the amount's text and add
// it to the total and to one key of each of five breakdowns. Money against
// cockroachdb/apd, on the same texts and keys:
//
//	go test ./internal/billing -run '^$' -bench 'AggregateMoney' -benchmem

const benchMoneyLines = 100_000

type benchMoneyLine struct {
	price                   string
	service, vpc, tag, name string
	period                  int
}

func makeBenchMoneyLines() []benchMoneyLine {
	lines := make([]benchMoneyLine, benchMoneyLines)
	for i := range lines {
		price := int64(i*7919%5_000_000_000 + 1)
		lines[i] = benchMoneyLine{
			price:   fmt.Sprintf("%d.%04d", price/10000, price%10000),
			service: fmt.Sprint("service-", i%8), vpc: fmt.Sprint("vpc-", i%5), tag: fmt.Sprint("tag-", i%4),
			name: fmt.Sprint("name-", i%300), period: i / 1000,
		}
		switch i % 50 {
		case 0:
			lines[i].price = "0.1"
		case 1:
			lines[i].price = "98765432.1"
		}
	}
	return lines
}

func BenchmarkAggregateMoney(b *testing.B) {
	lines := makeBenchMoneyLines()
	b.Run("Money", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var total Money
			maps := [4]map[string]Money{{}, {}, {}, {}}
			periods := make([]Money, benchMoneyLines/1000)
			for i := range lines {
				l := &lines[i]
				p, err := ParseMoney(l.price)
				if err != nil {
					b.Fatal(err)
				}
				total = total.Add(p)
				for k, key := range [4]string{l.service, l.vpc, l.tag, l.name} {
					maps[k][key] = maps[k][key].Add(p)
				}
				periods[l.period] = periods[l.period].Add(p)
			}
			if total.Sign() <= 0 {
				b.Fatal(total)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchMoneyLines), "ns/line")
	})
	b.Run("apd", func(b *testing.B) {
		b.ReportAllocs()
		ctx := apd.BaseContext.WithPrecision(60)
		add := func(m map[string]*apd.Decimal, key string, p *apd.Decimal) {
			d, ok := m[key]
			if !ok {
				d = new(apd.Decimal)
				m[key] = d
			}
			if _, err := ctx.Add(d, d, p); err != nil {
				b.Fatal(err)
			}
		}
		for b.Loop() {
			var total, p apd.Decimal
			maps := [4]map[string]*apd.Decimal{{}, {}, {}, {}}
			periods := make([]apd.Decimal, benchMoneyLines/1000)
			for i := range lines {
				l := &lines[i]
				if _, _, err := p.SetString(l.price); err != nil {
					b.Fatal(err)
				}
				if _, err := ctx.Add(&total, &total, &p); err != nil {
					b.Fatal(err)
				}
				for k, key := range [4]string{l.service, l.vpc, l.tag, l.name} {
					add(maps[k], key, &p)
				}
				if _, err := ctx.Add(&periods[l.period], &periods[l.period], &p); err != nil {
					b.Fatal(err)
				}
			}
			if total.Sign() <= 0 {
				b.Fatal(total.String())
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchMoneyLines), "ns/line")
	})
}
