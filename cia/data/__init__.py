"""The data layer: every database read and write (views never build queries)."""
