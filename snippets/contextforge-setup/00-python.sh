python3.12 --version
