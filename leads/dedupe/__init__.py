"""Duplicate detection (查重): normalised keys, the dedupe index and the matching rules."""
