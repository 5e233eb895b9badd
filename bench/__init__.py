"""`make bench`: seed a large data set and report server times and SQL query counts."""
