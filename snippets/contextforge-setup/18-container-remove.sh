docker rm --force contextforge
docker volume rm contextforge-data
