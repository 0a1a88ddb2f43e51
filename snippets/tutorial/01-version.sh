pflow --version
