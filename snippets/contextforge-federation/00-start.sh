lab up contextforge-federation
eval "$(lab env)"
