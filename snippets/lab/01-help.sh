lab --help
