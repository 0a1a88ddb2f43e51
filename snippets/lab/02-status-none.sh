lab status
