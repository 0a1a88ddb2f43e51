lab up pflow-troubleshooting
eval "$(lab env)"
