pflow -p -o doubled ./count.pflow.md text="containers start on demand"
