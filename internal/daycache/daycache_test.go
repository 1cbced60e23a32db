package daycache

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// warnings records what a store logged.
type warnings struct {
	mu    sync.Mutex
	lines []string
}

func (w *warnings) Warn(_ context.Context, msg string, fields map[string]any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines = append(w.lines, fmt.Sprint(msg, " ", fields))
}

func (w *warnings) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.lines
	w.lines = nil
	return out
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func open(t *testing.T, dir string, log Logger, clk *testClock, maxBytes int64) *Store {
	t.Helper()
	cfg := Config{Dir: dir, Logger: log, MaxBytes: maxBytes, MaxAge: 48 * time.Hour}
	if clk != nil {
		cfg.Now = clk.Now
	}
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPutGet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	s := open(t, dir, nil, nil, 0)
	ctx := context.Background()
	k := s.Key("https://api.example/api/v1/billing/bills", "token-1", "", "", "2024-08-31")
	if _, ok := s.Get(ctx, k); ok {
		t.Fatal("an empty cache has an entry")
	}
	for _, payload := range [][]byte{[]byte("first"), {}, bytes.Repeat([]byte{0, 0xff}, 100_000)} {
		if err := s.Put(ctx, k, payload); err != nil {
			t.Fatal(err)
		}
		got, ok := s.Get(ctx, k)
		if !ok || !bytes.Equal(got, payload) {
			t.Fatalf("Get after Put of %d bytes: %v, %d bytes", len(payload), ok, len(got))
		}
	}
	// A second store on the directory (another process) shares the secret
	// and so the entries.
	other := open(t, dir, nil, nil, 0)
	if other.Key("a") != s.Key("a") {
		t.Error("two stores on one directory make different keys")
	}
	if _, ok := other.Get(ctx, k); !ok {
		t.Error("a second store on the directory does not see the entry")
	}
	// Permissions: only the owner reads the directory, the secret or an entry.
	for name, want := range map[string]fs.FileMode{
		dir: 0o700 | fs.ModeDir, filepath.Join(dir, secretName): 0o600, s.path(k): 0o600,
	} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode() & (fs.ModePerm | fs.ModeDir); got != want {
			t.Errorf("%s has mode %v, want %v", name, got, want)
		}
	}
}

func TestKeys(t *testing.T) {
	a := open(t, t.TempDir(), nil, nil, 0)
	b := open(t, t.TempDir(), nil, nil, 0)
	if a.Key("ab", "c") == a.Key("a", "bc") {
		t.Error("parts run together in a key")
	}
	if reopened := open(t, a.dir, nil, nil, 0); reopened.Key("x") != a.Key("x") {
		t.Error("a key is not stable across opens of one directory")
	}
	if a.Key("x") == b.Key("x") {
		t.Error("two directories (two secrets) make the same key: the key would not depend on the secret")
	}
	secret := "tok-3f9a1c7e-SECRET-5b2d"
	k := a.Key("endpoint", secret, "2024-08-31")
	if strings.Contains(k.String(), secret) || strings.Contains(a.path(k), secret) {
		t.Error("a key shows the token")
	}
}

// TestBadEntries damages an entry in each way a disk or another program
// could: the read ignores it, warns, and the next Put replaces it.
func TestBadEntries(t *testing.T) {
	ctx := context.Background()
	payload := []byte("the lines of 2024-08-31, checked")
	cases := map[string]func(t *testing.T, s *Store, name string, data []byte) []byte{
		"flipped payload byte": func(_ *testing.T, _ *Store, _ string, data []byte) []byte {
			data[len(data)-3] ^= 0x20
			return data
		},
		"flipped checksum byte": func(_ *testing.T, _ *Store, _ string, data []byte) []byte {
			data[headerSize-1] ^= 1
			return data
		},
		"truncated payload": func(_ *testing.T, _ *Store, _ string, data []byte) []byte { return data[:len(data)-5] },
		"truncated header":  func(_ *testing.T, _ *Store, _ string, data []byte) []byte { return data[:headerSize/2] },
		"empty file":        func(_ *testing.T, _ *Store, _ string, _ []byte) []byte { return []byte{} },
		"appended garbage":  func(_ *testing.T, _ *Store, _ string, data []byte) []byte { return append(data, "junk"...) },
		"foreign version": func(_ *testing.T, _ *Store, _ string, data []byte) []byte {
			binary.BigEndian.PutUint16(data[len(magic):], Version+1)
			return data
		},
		"not a cache entry": func(_ *testing.T, _ *Store, _ string, _ []byte) []byte {
			return []byte(`{"lines": "a file some other program wrote, longer than a header ....................."}`)
		},
		"huge length claimed": func(_ *testing.T, _ *Store, _ string, data []byte) []byte {
			binary.BigEndian.PutUint32(data[len(magic)+10:], 0xffffffff)
			return data
		},
		"written with another secret": func(t *testing.T, _ *Store, _ string, _ []byte) []byte {
			other := open(t, t.TempDir(), nil, nil, 0)
			k := other.Key("x")
			if err := other.Put(ctx, k, payload); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(other.path(k))
			if err != nil {
				t.Fatal(err)
			}
			return data
		},
		"another entry's file": func(t *testing.T, s *Store, _ string, _ []byte) []byte {
			k := s.Key("another day")
			if err := s.Put(ctx, k, payload); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(s.path(k))
			if err != nil {
				t.Fatal(err)
			}
			return data
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			log := &warnings{}
			s := open(t, t.TempDir(), log, nil, 0)
			k := s.Key("bills", "2024-08-31")
			if err := s.Put(ctx, k, payload); err != nil {
				t.Fatal(err)
			}
			file := s.path(k)
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, damage(t, s, file, data), 0o600); err != nil {
				t.Fatal(err)
			}
			got, ok := s.Get(ctx, k)
			if ok {
				t.Fatalf("a damaged entry was trusted: %q", got)
			}
			warned := log.take()
			if len(warned) != 1 || !strings.Contains(warned[0], file) {
				t.Fatalf("warnings: %q, want one naming %s", warned, file)
			}
			if err := s.Put(ctx, k, payload); err != nil {
				t.Fatal(err)
			}
			if got, ok := s.Get(ctx, k); !ok || !bytes.Equal(got, payload) {
				t.Fatalf("the replaced entry reads %v %q", ok, got)
			}
			if warned := log.take(); len(warned) != 0 {
				t.Errorf("the replaced entry warns: %q", warned)
			}
		})
	}
}

func TestBadSecretReplaced(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, secretName), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir, nil, nil, 0)
	if len(s.secret) != secretSize {
		t.Fatalf("secret of %d bytes", len(s.secret))
	}
	again := open(t, dir, nil, nil, 0)
	if !bytes.Equal(again.secret, s.secret) {
		t.Error("the replaced secret is not the one kept")
	}
}

func TestMaxAge(t *testing.T) {
	ctx := context.Background()
	clk := &testClock{now: time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC)}
	s := open(t, t.TempDir(), nil, clk, 0) // MaxAge 48h
	k := s.Key("day")
	if err := s.Put(ctx, k, []byte("x")); err != nil {
		t.Fatal(err)
	}
	clk.advance(47 * time.Hour)
	if _, ok := s.Get(ctx, k); !ok {
		t.Error("an entry younger than the maximum age is not used")
	}
	clk.advance(2 * time.Hour)
	if _, ok := s.Get(ctx, k); ok {
		t.Error("an entry older than the maximum age is used")
	}
	if err := s.Put(ctx, k, []byte("y")); err != nil {
		t.Fatal(err)
	}
	if got, ok := s.Get(ctx, k); !ok || string(got) != "y" {
		t.Error("a rewritten entry is not used")
	}
}

func TestTrim(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	entry := int64(headerSize + 1000)
	clk := &testClock{now: time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC)}
	s := open(t, dir, nil, clk, 3*entry)
	base := clk.Now().Add(-time.Hour) // file times for the eviction order
	var keys []Key
	for i := range 5 {
		k := s.Key(fmt.Sprint("day ", i))
		keys = append(keys, k)
		if err := s.Put(ctx, k, bytes.Repeat([]byte{byte(i)}, 1000)); err != nil {
			t.Fatal(err)
		}
		mod := base.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(s.path(k), mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	// A temporary file of a process that died while writing.
	stale := filepath.Join(s.days, tempPrefix+"dead")
	if err := os.WriteFile(stale, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := clk.Now().Add(-2 * staleTemp) // older than the store's limit for a temporary file
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	stats, err := s.Trim(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Entries != 3 || stats.Bytes != 3*entry {
		t.Errorf("after Trim: %+v, want 3 entries of %d bytes", stats, 3*entry)
	}
	for i, k := range keys {
		_, ok := s.Get(ctx, k)
		if want := i >= 2; ok != want {
			t.Errorf("entry %d present = %v, want %v (the oldest go first)", i, ok, want)
		}
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a stale temporary file is left: %v", err)
	}
}

// TestConcurrent runs writers and readers in several stores on one new
// directory, as plans running at once would: they agree on one secret,
// every read returns a whole payload that some writer wrote, and nothing
// is ever reported damaged.
func TestConcurrent(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "shared")
	log := &warnings{}
	const stores, keys, rounds = 6, 4, 60
	all := make([]*Store, stores)
	var wg sync.WaitGroup
	for i := range all {
		wg.Go(func() {
			s, err := Open(Config{Dir: dir, Logger: log})
			if err != nil {
				t.Error(err)
				return
			}
			all[i] = s
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, s := range all[1:] {
		if !bytes.Equal(s.secret, all[0].secret) {
			t.Fatal("stores opened at once on one directory disagree on the secret")
		}
	}
	// A payload says who wrote it and is long enough to take several writes.
	payload := func(writer, round int) []byte {
		head := fmt.Sprintf("writer %d round %d|", writer, round)
		return append([]byte(head), bytes.Repeat([]byte{byte(writer)}, 64<<10+round*97)...)
	}
	valid := func(b []byte) bool {
		var writer, round int
		head, rest, ok := bytes.Cut(b, []byte("|"))
		if !ok {
			return false
		}
		if _, err := fmt.Sscanf(string(head), "writer %d round %d", &writer, &round); err != nil {
			return false
		}
		return bytes.Equal(rest, bytes.Repeat([]byte{byte(writer)}, 64<<10+round*97))
	}
	var hits sync.Map
	for w, s := range all {
		wg.Go(func() { // a writer
			for r := range rounds {
				if err := s.Put(ctx, s.Key(fmt.Sprint(r%keys)), payload(w, r)); err != nil {
					t.Error(err)
				}
				if r%20 == 0 {
					if _, err := s.Trim(ctx); err != nil {
						t.Error(err)
					}
				}
			}
		})
		wg.Go(func() { // a reader
			for r := range rounds * 2 {
				got, ok := s.Get(ctx, s.Key(fmt.Sprint(r%keys)))
				switch {
				case !ok: // not written yet
				case !valid(got):
					t.Errorf("a reader saw a payload no writer wrote (%d bytes)", len(got))
				default:
					hits.Store(r, true)
				}
			}
		})
	}
	wg.Wait()
	if warned := log.take(); len(warned) != 0 {
		t.Errorf("concurrent use reported damaged entries: %q", warned)
	}
	n := 0
	hits.Range(func(any, any) bool { n++; return true })
	if n == 0 {
		t.Error("no reader ever found an entry: the test did not test reading while writing")
	}
	left, err := os.ReadDir(filepath.Join(dir, daysDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			t.Errorf("a temporary file is left: %s", e.Name())
		}
	}
	if len(left) != keys {
		t.Errorf("%d files left, want %d entries", len(left), keys)
	}
}
