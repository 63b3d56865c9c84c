"""The pieces of bench/make_dedupe_eval.py, the generator of the labelled duplicate-detection set.

- pools: the hand-written ingredient pools (brands, industries, cities, names, e-mail services)
- draw: the one seeded random stream every part draws from, and small text helpers
- checks: the reference normalisers and the label checks run before the file is written
- identifiers: USCCs, phone numbers, people and e-mail addresses, unique per entity
- entities: brands and customers (the originals and the look-alikes are both built here)
- reentries: the same customer typed again, with noise variants
- lookalikes: different customers that resemble an original

Every draw comes from draw.rng in a fixed order, so the output stays the same byte for byte.
"""
