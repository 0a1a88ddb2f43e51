// Package client: secret IDs and patterns, and a client whose every lookup says that no
// secrets engine is available (the engine's own client is not on the Go module proxy).
package client

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrSecretNotFound is what a lookup of a missing secret returns.
var ErrSecretNotFound = errors.New("secret not found")

var segment = regexp.MustCompile(`^[A-Za-z0-9._:@+=-]+$`)

// ID names one secret: segments separated by "/".
type ID string

func (id ID) String() string { return string(id) }

// Match reports whether the ID falls under the pattern.
func (id ID) Match(p Pattern) bool { return p.matches(strings.Split(string(id), "/")) }

// ParseID checks that every segment is non-empty and made of safe characters.
func ParseID(s string) (ID, error) {
	for _, part := range strings.Split(s, "/") {
		if !segment.MatchString(part) {
			return "", fmt.Errorf("invalid secret ID %q", s)
		}
	}
	return ID(s), nil
}

// Pattern is an ID whose segments may be "*" (one segment) or "**" (any number, at the end).
type Pattern string

func (p Pattern) String() string { return string(p) }

func (p Pattern) matches(parts []string) bool {
	pat := strings.Split(string(p), "/")
	for i, seg := range pat {
		if seg == "**" {
			return len(parts) > i
		}
		if i >= len(parts) || (seg != "*" && seg != parts[i]) {
			return false
		}
	}
	return len(parts) == len(pat)
}

// ExpandID puts the ID in place of the pattern's trailing "**".
func (p Pattern) ExpandID(id ID) (ID, error) {
	prefix, ok := strings.CutSuffix(string(p), "**")
	if !ok {
		return "", fmt.Errorf("pattern %q does not end in **", p)
	}
	return ParseID(prefix + string(id))
}

// ParsePattern checks a pattern.
func ParsePattern(s string) (Pattern, error) {
	for i, part := range strings.Split(s, "/") {
		if part == "**" && i != strings.Count(s, "/") {
			return "", fmt.Errorf("invalid pattern %q: ** must be last", s)
		}
		if part != "*" && part != "**" && !segment.MatchString(part) {
			return "", fmt.Errorf("invalid pattern %q", s)
		}
	}
	return Pattern(s), nil
}

// MustParsePattern is ParsePattern for constants.
func MustParsePattern(s string) Pattern {
	p, err := ParsePattern(s)
	if err != nil {
		panic(err)
	}
	return p
}

// Envelope is one secret and its value.
type Envelope struct {
	ID       ID
	Value    []byte
	Metadata map[string]string
	Provider string
}

// Client looks secrets up.
type Client interface {
	GetSecrets(ctx context.Context, pattern Pattern) ([]Envelope, error)
}

// Option configures New.
type Option func(*noEngine)

// WithSocketPath names the engine's socket.
func WithSocketPath(path string) Option { return func(c *noEngine) { c.socket = path } }

// New returns a client; its lookups fail, since this build has no secrets-engine protocol.
func New(options ...Option) (Client, error) {
	c := &noEngine{}
	for _, option := range options {
		option(c)
	}
	return c, nil
}

type noEngine struct{ socket string }

func (c *noEngine) GetSecrets(context.Context, Pattern) ([]Envelope, error) {
	return nil, fmt.Errorf("no secrets engine: this gateway build has no client for it (socket %s)", c.socket)
}
