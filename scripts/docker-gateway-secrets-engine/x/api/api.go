// Package api: where the secrets engine would listen. Nothing listens there in this build.
package api

import (
	"os"
	"path/filepath"
	"strconv"
)

// DefaultSocketPath is a per-user socket path; only error messages show it.
func DefaultSocketPath() string {
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	}
	return filepath.Join(dir, "docker-secrets-engine", "engine.sock")
}
