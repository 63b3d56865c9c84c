"""Settings package: `base` is the product; `test` adds test-only speed-ups."""
