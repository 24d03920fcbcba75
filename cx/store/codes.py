"""Company codes and access codes: random, unguessable, spelled in an alphabet people can read
aloud. Drawn and spelled as numpy arrays: a million take a fraction of a second."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import numpy as np

# no 0/O, 1/I/L: codes are read aloud and typed from e-mails
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def code_numbers(codes: Iterable[str] | np.ndarray) -> np.ndarray:
    """Codes (with or without the dash) as their base-31 numbers, for a fast membership test."""
    text = np.asarray(codes, dtype=f"U{CODE_LENGTH + 1}")
    if not len(text):
        return np.empty(0, dtype=np.int64)
    text = np.char.replace(text, "-", "").astype(f"S{CODE_LENGTH}")
    digits = np.full(256, 0, dtype=np.int64)
    digits[np.frombuffer(CODE_ALPHABET.encode(), dtype=np.uint8)] = np.arange(len(CODE_ALPHABET))
    letters = digits[text.view(np.uint8).reshape(len(text), CODE_LENGTH)]
    return letters @ (len(CODE_ALPHABET) ** np.arange(CODE_LENGTH - 1, -1, -1, dtype=np.int64))


def spell_codes(numbers: np.ndarray) -> np.ndarray:
    """Numbers as codes such as `7KQ4-M2XP`, in a bytes array (no Python string per code)."""
    base, half = len(CODE_ALPHABET), CODE_LENGTH // 2
    alphabet = np.frombuffer(CODE_ALPHABET.encode(), dtype=np.uint8)
    # each half (< 31⁴) in 32 bits: numpy divides those four times faster than 64-bit numbers
    halves = np.stack(np.divmod(np.asarray(numbers, dtype=np.int64), base ** half),
                      axis=1).astype(np.int32)
    powers = (base ** np.arange(half - 1, -1, -1)).astype(np.int32)
    letters = alphabet[((halves[:, :, None] // powers) % np.int32(base)).reshape(-1, CODE_LENGTH)]
    dashed = np.full((len(numbers), CODE_LENGTH + 1), ord("-"), dtype=np.uint8)
    dashed[:, :half], dashed[:, half + 1:] = letters[:, :half], letters[:, half:]
    return dashed.view(f"S{CODE_LENGTH + 1}").ravel()


def draw_code_numbers(n: int, taken: np.ndarray) -> np.ndarray:
    """`n` distinct random code numbers, none of them in `taken` (numbers, see `code_numbers`).

    Drawn from the OS's secure random source as numbers below 31⁸ (the bias of the modulo is
    under one in ten million): a million take a fraction of a second.
    """
    space = len(CODE_ALPHABET) ** CODE_LENGTH
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        want = n - len(out) + 16
        drawn = np.frombuffer(secrets.token_bytes(8 * want), dtype=np.uint64) % np.uint64(space)
        drawn = drawn.astype(np.int64)
        drawn = drawn[np.sort(np.unique(drawn, return_index=True)[1])]  # first seen, in order
        out = np.concatenate([out, drawn[~np.isin(drawn, taken) & ~np.isin(drawn, out)]])
    return out[:n]


def draw_company_numbers(n: int, last: int) -> np.ndarray:
    """The numbers `last + 1` … `last + n` in a random order, for `n` companies in any order.

    The order sorts random keys from the OS's secure source: nothing about a name (as the MD5
    of names did) and no seed anyone could find; a million take a fraction of a second.
    """
    keys = np.frombuffer(secrets.token_bytes(8 * n), dtype=np.uint64)
    return np.argsort(keys, kind="stable").astype(np.int64) + (last + 1)
