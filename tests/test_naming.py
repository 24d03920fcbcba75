"""Company names compared as people read them (issue 16, point 4): one function folds them
(`cx.naming`), uploads by either path store two spellings as one company, and free text is
redacted whatever the spelling."""

from __future__ import annotations

import string

import pytest

from cx import comments
from cx.dataset import load_frame
from cx.filters import Filters
from cx.ingest.commit import ingest
from cx.ingest.upload import Upload
from cx.naming import company_display, company_key, simple
from cx.store import Store
from cx.synth import company_names, synthesize, write_canonical_csv

# spelling → key
KEYS = {
    "Caffè Borbone": "caffe borbone",
    "Caffe Borbone": "caffe borbone",
    "CAFFÈ  BORBONE": "caffe borbone",
    "Caffè\u200b Borbone": "caffe borbone",  # zero-width space
    "Caffe\u0300 Borbone": "caffe borbone",  # the accent as a combining mark (NFD)
    "  Caffè\tBorbone \n": "caffe borbone",
    "Caf\u00adfè Borbone": "caffe borbone",  # soft hyphen
    "\ufeffCaffè\u2060 Borbone\u200d": "caffe borbone",  # BOM, word joiner, zero-width joiner
    "Caffè\u00a0Borbone": "caffe borbone",  # no-break space
    "Caffè\u3000Borbone": "caffe borbone",  # ideographic space
    "ＣＡＦＦＥ Borbone": "caffe borbone",  # full-width letters (NFKC)
    "Caffè\u3164Borbone": "caffeborbone",  # a blank letter, not a space
    "Straße Società": "strasse societa",
    "ﬁat Servizi": "fiat servizi",  # a ligature
    "D'Angelo S.r.l.": "d'angelo s.r.l.",
    "\u200b\u2060": "",
}


@pytest.mark.parametrize("spelling", list(KEYS), ids=ascii)
def test_company_key(spelling):
    assert company_key(spelling) == KEYS[spelling]


@pytest.mark.parametrize(("spelling", "shown"), [
    ("Caffè\u200b  Borbone ", "Caffè Borbone"),
    ("Caffe\u0300 Borbone", "Caffè Borbone"),  # composed, as written
    ("CAFFÈ  BORBONE", "CAFFÈ BORBONE"),
    ("\ufeffRossi\u00adGroup", "RossiGroup"),
    ("Rossi Group S.p.A.", "Rossi Group S.p.A."),
], ids=ascii)
def test_company_display_keeps_accents_and_case(spelling, shown):
    assert company_display(spelling) == shown
    assert company_key(shown) == company_key(spelling)


@pytest.mark.parametrize("name", [
    "Rossi Group S.p.A.", "D'Angelo & C.", "A", "x  y", " lead", "trail ", "tab\there",
    string.printable.strip(), string.punctuation, "Caffè", "",
], ids=ascii)
def test_simple_names_are_keyed_in_sql_as_in_python(name):
    """What the store keys with SQL's lower() (printable ASCII, single spaces) is what
    `company_key` gives, and is stored as written."""
    if simple(name):
        assert company_key(name) == name.lower() and company_display(name) == name


def test_the_store_keys_every_name_as_company_key(empty):
    names = [*list(KEYS)[:-1], "Rossi Group S.p.A.", "Zeta\u00a0Srl", "ÆON Retail"]
    for i, name in enumerate(names):  # one at a time: spellings of one key are one company
        load_frame(empty, synthesize(1, (2030,), i).assign(company=[name]))
    with empty.cursor() as cur:
        stored = cur.execute("SELECT company, company_key FROM companies").fetchall()
    assert {key for _, key in stored} == {company_key(n) for n in names}
    assert all(company_key(name) == key for name, key in stored)


SPELLINGS = ["Caffè Borbone", "Caffe Borbone", "CAFFÈ  BORBONE", "Caffè\u200b Borbone",
             "caffe\u0300 borbone"]


def _companies(store: Store) -> dict[str, str]:
    return dict(store.query("company_codes")[["company", "code"]].itertuples(index=False))


def test_two_spellings_uploaded_are_one_company(empty, tmp_path):
    path = tmp_path / "spellings.csv"
    rows = "".join(f"{name},2030,{i}\n" for i, name in enumerate(SPELLINGS))
    path.write_text("company,wave,club_nps\n" + rows, encoding="utf-8")
    assert ingest(empty, Upload(path, "spellings.csv")).status == "committed"
    assert list(_companies(empty)) == ["Caffè Borbone"], "the first spelling seen"
    stored = empty.responses(["company"], Filters(wave=2030))["company"]
    assert stored.tolist() == ["Caffè Borbone"] * len(SPELLINGS)

    code = _companies(empty)["Caffè Borbone"]
    later = tmp_path / "later.csv"
    later.write_text("company,wave,club_nps\nCAFFE BORBONE,2031,9\n", encoding="utf-8")
    assert ingest(empty, Upload(later, "later.csv")).status == "committed"
    assert _companies(empty) == {"Caffè Borbone": code}, "the one in the database wins"


def test_the_first_spelling_seen_is_kept_without_its_invisible_characters(empty, tmp_path):
    path = tmp_path / "first.csv"
    path.write_text("company,wave,club_nps\nCAFFÈ\u200b  BORBONE,2030,9\nCaffè Borbone,2030,8\n",
                    encoding="utf-8")
    assert ingest(empty, Upload(path, "first.csv")).status == "committed"
    assert list(_companies(empty)) == ["CAFFÈ BORBONE"]


def test_a_name_of_invisible_characters_only_is_a_missing_company(empty, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("company,wave,club_nps\n\u200b\u2060,2030,9\nAlfa,2030,8\n", encoding="utf-8")
    result = ingest(empty, Upload(path, "blank.csv"))
    assert result.status == "refused"
    assert [(p.row, p.reason) for p in result.preview.problems] == [(2, "required")]


def test_the_direct_path_leaves_other_spellings_to_the_thorough_one(sample_db, tmp_path):
    """A canonical file (the direct path's) naming a sample company otherwise, and one company
    twice: stored as the sample's company and as the first spelling."""
    sample_name = company_names(1)[0]
    frame = synthesize(4, (2030,), 7)
    frame["company"] = [sample_name.upper(), "Caffè Borbone", sample_name, "caffe borbone"]
    path = tmp_path / "canonical.csv"
    write_canonical_csv(frame, path)
    steps: list[str] = []
    with Store.open(sample_db) as store:
        before = _companies(store)
        assert sample_name in before
        result = ingest(store, Upload(path, "canonical.csv"), progress=steps.append)
        assert result.status == "committed"
        assert "direct" in steps and "read" in steps[steps.index("direct"):], "handed over"
        stored = store.responses(["company"], Filters(wave=2030))["company"]
        after = _companies(store)
    assert sorted(stored) == sorted([sample_name, sample_name, "Caffè Borbone",
                                     "Caffè Borbone"])
    assert set(after) - set(before) == {"Caffè Borbone"}
    assert after[sample_name] == before[sample_name]


def test_a_frame_with_two_spellings_is_one_company(empty):
    load_frame(empty, synthesize(len(SPELLINGS), (2030,), 3).assign(company=SPELLINGS))
    assert list(_companies(empty)) == ["Caffè Borbone"]


INDEX = comments.name_index(["Caffè Borbone S.r.l.", "Rossi Group S.p.A."])


@pytest.mark.parametrize(("answer", "redacted"), [
    ("Da Caffe Borbone tutto ok.", "Da [azienda] tutto ok."),
    ("caffè borbone risponde tardi", "[azienda] risponde tardi"),
    ("Come Caffè\u200bBorbone, lenti", "Come [azienda], lenti"),
    ("CAFFE\u0301  BORBONE: lenti", "[azienda]: lenti"),
    ("Caf\u00adfè Borbone S.r.l. e Rossi Group", "[azienda] e [azienda]"),
    ("ＣＡＦＦＥ Borbone", "[azienda]"),
    ("Un caffè buono, nessun nome.", "Un caffè buono, nessun nome."),
], ids=ascii)
def test_redaction_matches_every_spelling(answer, redacted):
    assert comments.redact(answer, INDEX, "[azienda]") == redacted
