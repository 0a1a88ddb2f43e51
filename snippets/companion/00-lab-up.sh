lab up
eval "$(lab env)"
