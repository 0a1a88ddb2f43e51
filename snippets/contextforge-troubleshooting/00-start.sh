lab up contextforge-troubleshooting
eval "$(lab env)"
