// Command focuscsv reads a FOCUS CSV file written by fptcloud_bills'
// focus_csv and prints its number of rows and the exact sum of a decimal
// column (BilledCost unless -column says otherwise), for the scripts that
// test the guides' commands: the shell has no exact decimal arithmetic.
//
//	go run ./internal/testsupport/focuscsv [-column BilledCost] focus.csv
//
// It fails when the header lacks a column of billing.FocusColumns or a
// row is not as wide as the header.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

func main() {
	column := flag.String("column", "BilledCost", "the decimal column to sum")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: focuscsv [-column NAME] FILE")
		os.Exit(2)
	}
	rows, sum, err := run(flag.Arg(0), *column)
	if err != nil {
		fmt.Fprintln(os.Stderr, "focuscsv:", err)
		os.Exit(1)
	}
	fmt.Printf("rows %d\n%s %s\n", rows, *column, sum)
}

func run(file, column string) (int, billing.Money, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, billing.Money{}, err
	}
	defer func() { _ = f.Close() }() // read only: nothing to lose
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return 0, billing.Money{}, fmt.Errorf("the header: %w", err)
	}
	for _, c := range billing.FocusColumns {
		if !slices.Contains(header, c.Name) {
			return 0, billing.Money{}, fmt.Errorf("the header has no column %s", c.Name)
		}
	}
	col := slices.Index(header, column)
	if col < 0 {
		return 0, billing.Money{}, fmt.Errorf("the header has no column %s", column)
	}
	var sum billing.Money
	rows := 0
	for {
		rec, err := r.Read() // a record of another width is an error (csv.ErrFieldCount)
		if err == io.EOF {
			return rows, sum, nil
		}
		if err != nil {
			return rows, sum, err
		}
		rows++
		m, err := billing.ParseMoney(rec[col])
		if err != nil {
			return rows, sum, fmt.Errorf("row %d: %s %q: %w", rows, column, rec[col], err)
		}
		sum = sum.Add(m)
	}
}
