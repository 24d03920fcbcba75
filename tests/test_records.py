"""The count of a CSV's records made without DuckDB (`cx.ingest.records`), against Python's
own CSV parser, on seeded random files cut into random pieces."""

from __future__ import annotations

import csv
import io
import random

import pytest

from cx.ingest.records import count_pieces, count_records, exact_records, head_records

CELLS = ["a", "", "x y", 'q"q', "line\nbreak", "\r\n", ",", '"', "è", "5\" pollici"]


def _python_count(data: bytes) -> int:
    return sum(1 for row in csv.reader(io.StringIO(data.decode(), newline="")) if row)


def _random_csv(rng: random.Random) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=rng.choice(["\n", "\r\n"]))
    for _ in range(rng.randint(0, 8)):
        if rng.random() < 0.2:
            out.write(rng.choice(["\n", "\r\n"]))  # an empty line: no record
        else:
            writer.writerow([rng.choice(CELLS) for _ in range(rng.randint(1, 4))])
    data = out.getvalue().encode()
    return data.rstrip(b"\r\n") if rng.random() < 0.3 else data  # no final line break


@pytest.mark.parametrize("seed", range(5))
def test_the_quick_count_equals_pythons_reading_however_the_file_is_cut(seed):
    rng = random.Random(seed)
    for _ in range(600):
        data = _random_csv(rng)
        cuts = sorted(rng.sample(range(len(data) + 1), min(len(data) + 1, rng.randint(0, 5))))
        pieces = [data[i:j] for i, j in zip([0, *cuts], [*cuts, len(data)])]
        assert count_pieces(pieces) == count_records(data) == _python_count(data), data


def test_hand_counted_files():
    assert count_records(b"") == 0
    assert count_records(b"a,b") == 1
    assert count_records(b"a,b\r\n\r\nc,d\r\n\n\n") == 2
    assert count_records(b'a,"x\ny",b\nc\n') == 2
    assert count_records(b"\n\na\n") == 1


def test_a_stray_quote_throws_the_quick_count_off_and_python_reads_it(tmp_path):
    """`5" pollici` is text to DuckDB and to Python; the parity of quotes miscounts it, so
    a disagreement is checked with Python's parser before a file is refused."""
    path = tmp_path / "f.csv"
    path.write_bytes(b'h1,h2\n1,5" pollici\n2,x\n3,y\n')
    assert count_records(path) != 4
    assert exact_records(path, ",", 1, 1000).records == 3
    assert head_records(path, 1) == 1


def test_the_first_line_too_long_is_named(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b'h\nshort\n"multi\nline"\n' + b"x" * 50 + b"\nlast\n")
    exact = exact_records(path, ",", 1, 40)
    assert (exact.records, exact.long_line) == (4, 5)
