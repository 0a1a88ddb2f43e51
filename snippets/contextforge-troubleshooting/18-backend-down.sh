pflow -p -o loud ./shout.pflow.md text="still there?" </dev/null
kill "$(cat text-tools.pid)"
pflow -p -o loud ./shout.pflow.md text="still there?" </dev/null
