// Package realms: the patterns under which the gateway keeps its secrets.
package realms

import "github.com/docker/secrets-engine/client"

var (
	DockerMCPDefault  = client.MustParsePattern("docker/mcp/**")
	DockerMCPOAuth    = client.MustParsePattern("docker/mcp/oauth/**")
	DockerMCPOAuthDCR = client.MustParsePattern("docker/mcp/oauth-dcr/**")
)
