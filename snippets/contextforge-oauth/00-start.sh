lab up contextforge-oauth
eval "$(lab env)"
