lab up
