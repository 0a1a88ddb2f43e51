lab up --list
