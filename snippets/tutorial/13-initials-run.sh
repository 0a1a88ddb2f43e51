pflow -p -o loud ./initials.pflow.md text="the quick brown fox"
