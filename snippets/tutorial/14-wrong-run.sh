sed 's/initials.result}/initials.result.result}/' initials.pflow.md > initials-wrong.pflow.md
pflow -p -o loud ./initials-wrong.pflow.md text="the quick brown fox"
