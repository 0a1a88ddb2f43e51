lab up contextforge-observability
eval "$(lab env)"
