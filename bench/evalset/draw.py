"""The one seeded random stream every part of the generator draws from (fixed seed, so the
output is the same byte for byte), the drawing helpers, and two small text helpers."""

import random
import re

SEED = 20250611
rng = random.Random(SEED)


def pick(seq):
    return rng.choice(seq)


def chance(p):
    return rng.random() < p


def wpick(pairs):
    return rng.choices([a for a, _ in pairs], weights=[w for _, w in pairs])[0]


def digits(n):
    return "".join(rng.choices("0123456789", k=n))


def fullwidth(s, space="\u3000"):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else space if c == " " else c for c in s)


def fuzzy(py):  # pinyin as a fuzzy IME hears it: zh/ch/sh = z/c/s, -ng = -n
    return re.sub(r"([zcs])h", r"\1", py).replace("ng", "n")
