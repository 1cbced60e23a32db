// Package daycache keeps opaque payloads (the bill lines of one closed day)
// in a directory, across processes, so that a later read need not ask the
// API again. It knows nothing of Terraform and nothing of HTTP.
//
// On disk:
//
//	<dir>/secret          32 random bytes, 0600: the key of every HMAC below
//	<dir>/days/<hex>.day  one entry; <hex> is HMAC-SHA256(secret, key parts)
//
// An entry's name is an HMAC of what identifies it (for bill lines: the API
// endpoint, the token, the API-side filters and the day), so that neither a
// file name nor a file holds anything from which a token could be guessed.
// An entry is a fixed header (magic, format version, time of writing,
// payload length, HMAC of all of it) and the payload. Entries are written to
// a temporary file and renamed into place, so that a reader sees a whole
// entry or none. An entry that does not verify (corrupt, truncated, another
// version or another secret) is reported through Logger.Warn and treated as
// absent; the next Put replaces it.
package daycache

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Version is the format of an entry. An entry of another version is never
// read: it is logged and replaced.
const Version = 1

// Defaults of Config.
const (
	DefaultMaxAge   = 7 * 24 * time.Hour
	DefaultMaxBytes = 256 << 20
)

const (
	magic      = "FPTDAYC\n"
	headerSize = len(magic) + 2 + 8 + 4 + sha256.Size
	secretSize = 32
	secretName = "secret"
	daysDir    = "days"
	entryExt   = ".day"
	tempPrefix = ".tmp-"
	// A temporary file this old belongs to a process that died while writing.
	staleTemp = time.Hour
	// maxPayload bounds what a header may claim, so that a corrupt length
	// never makes a reader allocate gigabytes.
	maxPayload = 1 << 30
)

// Logger receives a line for each entry that could not be used or kept.
type Logger interface {
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Warn(context.Context, string, map[string]any) {}

// Config says where the cache lives and how much it keeps.
type Config struct {
	Dir      string
	MaxAge   time.Duration    // an entry written longer ago is not used; 0: DefaultMaxAge
	MaxBytes int64            // Trim removes the oldest entries beyond this; 0: DefaultMaxBytes
	Now      func() time.Time // nil: time.Now
	Logger   Logger           // nil: nothing is logged
}

// Store is an open cache directory. It is safe for concurrent use, and
// several processes may use one directory at once.
type Store struct {
	dir, days string
	maxAge    time.Duration
	maxBytes  int64
	now       func() time.Time
	log       Logger
	secret    []byte

	trimMu sync.Mutex
}

// Key names one entry. It is an HMAC, not the parts it was made from.
type Key [sha256.Size]byte

func (k Key) String() string { return hex.EncodeToString(k[:]) }

// Open creates dir (0700) and its secret (0600) when they do not exist and
// returns the store. It fails when the directory cannot be used.
func Open(cfg Config) (*Store, error) {
	if cfg.Dir == "" {
		return nil, errors.New("the cache directory is empty")
	}
	s := &Store{
		dir: cfg.Dir, days: filepath.Join(cfg.Dir, daysDir),
		maxAge: cfg.MaxAge, maxBytes: cfg.MaxBytes, now: cfg.Now, log: cfg.Logger,
	}
	if s.maxAge <= 0 {
		s.maxAge = DefaultMaxAge
	}
	if s.maxBytes <= 0 {
		s.maxBytes = DefaultMaxBytes
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = nopLogger{}
	}
	if err := os.MkdirAll(s.days, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the cache directory: %w", err)
	}
	secret, err := loadSecret(cfg.Dir)
	if err != nil {
		return nil, err
	}
	s.secret = secret
	return s, nil
}

// loadSecret reads dir's secret, or creates it. Two processes that create
// it at once agree on one: each writes a temporary file and links it to the
// final name, which fails for the second, which then reads the first's.
func loadSecret(dir string) ([]byte, error) {
	name := filepath.Join(dir, secretName)
	for attempt := 0; attempt < 3; attempt++ {
		secret, err := os.ReadFile(name)
		switch {
		case err == nil && len(secret) == secretSize:
			return secret, nil
		case err == nil:
			// A secret of the wrong size was not written by this package:
			// start again with a new one, which makes every entry unreadable
			// (each is logged and replaced when next read).
			if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("cannot replace the cache secret: %w", err)
			}
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("cannot read the cache secret: %w", err)
		}
		secret = make([]byte, secretSize)
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("cannot make a cache secret: %w", err)
		}
		tmp, err := writeTemp(dir, secret)
		if err != nil {
			return nil, fmt.Errorf("cannot write the cache secret: %w", err)
		}
		err = os.Link(tmp, name)
		_ = os.Remove(tmp)
		if err == nil {
			return secret, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("cannot write the cache secret: %w", err)
		}
		// Another process made it first: read theirs.
	}
	return nil, errors.New("cannot agree on a cache secret with the other processes using the directory")
}

// writeTemp writes data to a new file of mode 0600 in dir and returns its name.
func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		_ = os.Remove(name)
		return "", err
	}
	return name, nil
}

// Key makes the key of an entry from its parts. Parts are length-prefixed,
// so that ("ab", "c") and ("a", "bc") differ.
func (s *Store) Key(parts ...string) Key {
	mac := hmac.New(sha256.New, s.secret)
	var n [binary.MaxVarintLen64]byte
	for _, p := range parts {
		_, _ = mac.Write(n[:binary.PutUvarint(n[:], uint64(len(p)))])
		_, _ = mac.Write([]byte(p))
	}
	var k Key
	mac.Sum(k[:0])
	return k
}

func (s *Store) path(k Key) string {
	return filepath.Join(s.days, k.String()+entryExt)
}

// sum is the HMAC that ends an entry's header: of its key, its header
// fields and its payload, so that an entry moved to another name, or
// written with another secret, does not verify.
func (s *Store) sum(k Key, head []byte, payload []byte) []byte {
	mac := hmac.New(sha256.New, s.secret)
	_, _ = mac.Write(k[:])
	_, _ = mac.Write(head)
	_, _ = mac.Write(payload)
	return mac.Sum(nil)
}

// Get returns the payload of k when it is present, verifies and was
// written less than the maximum age ago. An entry that does not verify is
// logged at WARN and reported absent, never returned.
func (s *Store) Get(ctx context.Context, k Key) ([]byte, bool) {
	name := s.path(k)
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		s.warn(ctx, "cannot read a cache entry; reading the day from the API", name, err)
		return nil, false
	}
	payload, written, err := s.decode(k, data)
	if err != nil {
		s.warn(ctx, "ignoring a cache entry that does not verify; reading the day from the API and replacing it", name, err)
		return nil, false
	}
	if age := s.now().Sub(written); age > s.maxAge || age < -time.Hour {
		return nil, false // too old (or written by a clock far ahead): read again
	}
	return payload, true
}

// decode checks an entry and returns its payload and time of writing.
func (s *Store) decode(k Key, data []byte) ([]byte, time.Time, error) {
	if len(data) < headerSize {
		return nil, time.Time{}, fmt.Errorf("the entry holds %d bytes, shorter than its %d-byte header (truncated)", len(data), headerSize)
	}
	if string(data[:len(magic)]) != magic {
		return nil, time.Time{}, errors.New("the entry does not start with the cache's magic bytes (not a cache entry)")
	}
	p := len(magic)
	if v := binary.BigEndian.Uint16(data[p:]); v != Version {
		return nil, time.Time{}, fmt.Errorf("the entry is of format version %d; this provider reads version %d", v, Version)
	}
	written := time.Unix(0, int64(binary.BigEndian.Uint64(data[p+2:]))) //nolint:gosec // a time of writing, verified below
	length := int64(binary.BigEndian.Uint32(data[p+10:]))
	if length > maxPayload || int64(len(data)-headerSize) != length {
		return nil, time.Time{}, fmt.Errorf("the entry's header promises %d bytes of data but %d follow (truncated or corrupt)",
			length, len(data)-headerSize)
	}
	fields, mac := data[:p+14], data[p+14:headerSize]
	payload := data[headerSize:]
	if !hmac.Equal(mac, s.sum(k, fields, payload)) {
		return nil, time.Time{}, errors.New("the entry's checksum does not match its data (corrupt, or written with another secret)")
	}
	return payload, written, nil
}

// Put writes payload as the entry of k, replacing any entry of k at once:
// a concurrent Get sees the old entry or the new one, never a part.
func (s *Store) Put(_ context.Context, k Key, payload []byte) error {
	if len(payload) > maxPayload {
		return fmt.Errorf("a cache entry of %d bytes is larger than the %d a cache entry may hold", len(payload), maxPayload)
	}
	data := make([]byte, headerSize, headerSize+len(payload))
	copy(data, magic)
	p := len(magic)
	binary.BigEndian.PutUint16(data[p:], Version)
	binary.BigEndian.PutUint64(data[p+2:], uint64(s.now().UnixNano())) //nolint:gosec // times after 1970
	binary.BigEndian.PutUint32(data[p+10:], uint32(len(payload)))      //nolint:gosec // bounded by maxPayload above
	copy(data[p+14:], s.sum(k, data[:p+14], payload))
	data = append(data, payload...)
	tmp, err := writeTemp(s.days, data)
	if err != nil {
		return fmt.Errorf("cannot write a cache entry: %w", err)
	}
	if err := os.Rename(tmp, s.path(k)); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("cannot write a cache entry: %w", err)
	}
	return nil
}

// Stats describe the directory.
type Stats struct {
	Entries int
	Bytes   int64
}

type entryInfo struct {
	name string
	size int64
	mod  time.Time
}

// Trim removes the oldest entries (by time of writing on disk) until the
// entries hold at most the maximum size, and temporary files left by a
// process that died while writing. It returns what is left.
func (s *Store) Trim(ctx context.Context) (Stats, error) {
	s.trimMu.Lock()
	defer s.trimMu.Unlock()
	dirents, err := os.ReadDir(s.days)
	if err != nil {
		return Stats{}, fmt.Errorf("cannot list the cache directory: %w", err)
	}
	var entries []entryInfo
	var total int64
	for _, de := range dirents {
		info, err := de.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue // removed meanwhile by another process, or not ours
		}
		name := filepath.Join(s.days, de.Name())
		switch {
		case strings.HasPrefix(de.Name(), tempPrefix):
			if s.now().Sub(info.ModTime()) > staleTemp {
				_ = os.Remove(name)
			}
		case strings.HasSuffix(de.Name(), entryExt):
			entries = append(entries, entryInfo{name: name, size: info.Size(), mod: info.ModTime()})
			total += info.Size()
		}
	}
	if total <= s.maxBytes {
		return Stats{Entries: len(entries), Bytes: total}, nil
	}
	slices.SortFunc(entries, func(a, b entryInfo) int {
		if c := a.mod.Compare(b.mod); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	removed := 0
	for _, e := range entries {
		if total <= s.maxBytes {
			break
		}
		if err := os.Remove(e.name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.warn(ctx, "cannot remove an old cache entry", e.name, err)
			continue
		}
		total -= e.size
		removed++
	}
	return Stats{Entries: len(entries) - removed, Bytes: total}, nil
}

func (s *Store) warn(ctx context.Context, msg, file string, err error) {
	s.log.Warn(ctx, msg, map[string]any{"cache_file": file, "error": err.Error()})
}
