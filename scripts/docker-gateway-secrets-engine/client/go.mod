module github.com/docker/secrets-engine/client

go 1.24
