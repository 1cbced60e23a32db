package bills

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// The lines of one day in the day cache, compactly: a table of the day's
// distinct texts, then each line as one reference per field (billLineFields) into it, one per field in
// the API's order (0 for null, i+1 for text i). Numbers are kept as the
// text the API sent, so every digit survives; a string and a number are
// told apart by their field. Lines of a day repeat most of their texts
// (organisation, VPC, service, machine), so a day takes a fraction of its
// JSON size, and decoding shares one string per distinct text. In full:
//
//	payload := uvarint(texts) { uvarint(len) bytes }  uvarint(lines) { billLineFields × uvarint(ref) }
//
// with every uvarint as encoding/binary writes it.

// encodeDayLines writes lines in the day cache's format.
func encodeDayLines(lines []fptapi.BillLine) []byte {
	index := map[string]uint64{}
	var texts []string
	ref := func(s string) uint64 {
		i, ok := index[s]
		if !ok {
			i = uint64(len(texts))
			index[s] = i
			texts = append(texts, s)
		}
		return i + 1
	}
	refs := make([]uint64, 0, len(lines)*billLineFields)
	for i := range lines {
		fields := lineFields(&lines[i])
		for _, f := range fields {
			var r uint64
			switch v := f.(type) {
			case *string:
				r = ref(*v)
			case **string:
				if *v != nil {
					r = ref(**v)
				}
			case *json.Number:
				r = ref(string(*v))
			case **json.Number:
				if *v != nil {
					r = ref(string(**v))
				}
			}
			refs = append(refs, r)
		}
	}
	size := 0
	for _, s := range texts {
		size += len(s) + 2
	}
	out := make([]byte, 0, size+len(refs)+16)
	out = binary.AppendUvarint(out, uint64(len(texts)))
	for _, s := range texts {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	out = binary.AppendUvarint(out, uint64(len(lines)))
	for _, r := range refs {
		out = binary.AppendUvarint(out, r)
	}
	return out
}

// decodeDayLines reads what encodeDayLines wrote and checks that every line
// is of day and has its required fields. Lines share their texts.
func decodeDayLines(b []byte, day string) ([]fptapi.BillLine, error) {
	next := func() (uint64, error) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, errors.New("the day's data ends early")
		}
		b = b[n:]
		return v, nil
	}
	count, err := next()
	if err != nil {
		return nil, err
	}
	if count > uint64(len(b)) { // every text takes at least a byte
		return nil, fmt.Errorf("the day's data claims %d texts in %d bytes", count, len(b))
	}
	texts := make([]string, count)
	for i := range texts {
		n, err := next()
		if err != nil {
			return nil, err
		}
		if n > uint64(len(b)) {
			return nil, errors.New("a text runs past the end of the day's data")
		}
		texts[i], b = string(b[:n]), b[n:]
	}
	lineCount, err := next()
	if err != nil {
		return nil, err
	}
	if lineCount > uint64(len(b))/billLineFields {
		return nil, fmt.Errorf("the day's data claims %d lines in %d bytes", lineCount, len(b))
	}
	strs := make([]*string, len(texts))
	nums := make([]*json.Number, len(texts))
	lines := make([]fptapi.BillLine, lineCount)
	for i := range lines {
		fields := lineFields(&lines[i])
		for j, f := range fields {
			r, err := next()
			if err != nil {
				return nil, err
			}
			if r > uint64(len(texts)) {
				return nil, fmt.Errorf("line %d refers to text %d of %d", i+1, r, len(texts))
			}
			if r == 0 {
				if lineFieldKinds[j] == 's' || lineFieldKinds[j] == 'p' {
					return nil, fmt.Errorf("line %d lacks required field %d", i+1, j+1)
				}
				continue
			}
			t := r - 1
			switch v := f.(type) {
			case *string:
				*v = texts[t]
			case **string:
				if strs[t] == nil {
					strs[t] = &texts[t]
				}
				*v = strs[t]
			case *json.Number:
				*v = json.Number(texts[t])
			case **json.Number:
				if nums[t] == nil {
					n := json.Number(texts[t])
					nums[t] = &n
				}
				*v = nums[t]
			}
		}
		if lines[i].Day != day {
			return nil, fmt.Errorf("line %d is of day %s, not %s", i+1, lines[i].Day, day)
		}
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%d bytes follow the last line", len(b))
	}
	return lines, nil
}
