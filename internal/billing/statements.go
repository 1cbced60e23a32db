package billing

// StatementCharge is what the statement totals need of one resource
// statement: its amount and the keys it is grouped by.
type StatementCharge struct {
	ResourceID   string
	Status       string
	ResourceType string
	Type         string
	Amount       Money
}

// StatementTotals sums statement amounts exactly: overall, and by payment
// status, resource type, statement type and resource. The zero value is not ready;
// use NewStatementTotals.
type StatementTotals struct {
	Count          int              // charges added
	Amount         Money            // sum of every amount
	ByStatus       map[string]Money // status -> sum
	ByResourceType map[string]Money // resource type -> sum
	ByType         map[string]Money // type -> sum
	ByResource     map[string]Money // resource id -> sum
}

// NewStatementTotals returns empty totals: every sum is 0 and every map is
// empty (not nil).
func NewStatementTotals() *StatementTotals {
	return &StatementTotals{
		ByStatus:       map[string]Money{},
		ByResourceType: map[string]Money{},
		ByType:         map[string]Money{},
		ByResource:     map[string]Money{},
	}
}

// Add counts one charge in every total.
func (t *StatementTotals) Add(c StatementCharge) {
	t.Count++
	t.Amount = t.Amount.Add(c.Amount)
	t.ByStatus[c.Status] = t.ByStatus[c.Status].Add(c.Amount)
	t.ByResourceType[c.ResourceType] = t.ByResourceType[c.ResourceType].Add(c.Amount)
	t.ByType[c.Type] = t.ByType[c.Type].Add(c.Amount)
	t.ByResource[c.ResourceID] = t.ByResource[c.ResourceID].Add(c.Amount)
}

// SumStatements is the totals of charges.
func SumStatements(charges []StatementCharge) *StatementTotals {
	t := NewStatementTotals()
	for _, c := range charges {
		t.Add(c)
	}
	return t
}
