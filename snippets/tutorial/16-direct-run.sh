pflow -p -o cents ./quote-direct.pflow.md text="the quick brown fox" rate=12
