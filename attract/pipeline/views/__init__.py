"""Pipeline views, one module per page family: the board and moves, one deal, and the
insight pages (forecast, long maybes, stage settings, the question bank)."""
