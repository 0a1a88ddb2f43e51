lab up contextforge-redis
eval "$(lab env)"
