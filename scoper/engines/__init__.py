"""Engines that run the scoping SQL: DuckDB (the store) and, optionally, Spark over
canonical Parquet (``scoper[spark]``). ``registry`` chooses one by name."""
