"""Recording trails: scoper events written as things happen, hash-chained (docs/recording.md)."""
