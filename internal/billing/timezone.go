// Package billing holds the pure functions behind the bill data sources:
// exact money sums, grouping, time zones, date ranges and forecasts. It knows
// nothing of HTTP or Terraform.
package billing

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // IANA names work on machines without a zoneinfo database.
)

// DefaultTimeZone is the FPT Cloud accounts' time zone (Asia/Ho_Chi_Minh).
const DefaultTimeZone = "+07:00"

var offsetPattern = regexp.MustCompile(`^([+-])(\d{2}):?(\d{2})$`)

// ParseTimeZone reads a fixed offset such as "+07:00", "-0530", "Z" or "UTC",
// or an IANA name such as "Asia/Ho_Chi_Minh".
func ParseTimeZone(s string) (*time.Location, error) {
	switch strings.TrimSpace(s) {
	case "":
		return nil, fmt.Errorf("the time zone is empty; write an offset such as %q or an IANA name such as %q", DefaultTimeZone, "Asia/Ho_Chi_Minh")
	case "Z", "UTC", "+00:00", "-00:00":
		return time.UTC, nil
	}
	if m := offsetPattern.FindStringSubmatch(s); m != nil {
		hours, _ := strconv.Atoi(m[2])
		minutes, _ := strconv.Atoi(m[3])
		if hours > 14 || minutes > 59 {
			return nil, fmt.Errorf("%q is not a valid UTC offset; offsets run from -14:00 to +14:00", s)
		}
		offset := hours*3600 + minutes*60
		if m[1] == "-" {
			offset = -offset
		}
		return time.FixedZone(fmt.Sprintf("UTC%s%s:%s", m[1], m[2], m[3]), offset), nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil || s == "Local" {
		return nil, fmt.Errorf("%q is neither a UTC offset such as %q nor an IANA time zone name such as %q", s, DefaultTimeZone, "Asia/Ho_Chi_Minh")
	}
	return loc, nil
}
