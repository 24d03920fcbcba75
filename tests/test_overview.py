"""Panoramica's summary: a strongest or weakest pillar only where paired tests carry it."""

import pytest

from cx.overview import COLUMNS, compute_overview, summary


@pytest.fixture(scope="module")
def scores(sample_db_template):
    from cx.store import Store

    with Store.open(sample_db_template) as s:
        return s.responses(COLUMNS)


def _pillar_line(lines):
    return next(line for line in lines if "ilastr" in line or "pillar" in line)


def test_the_samples_close_lead_is_a_tie(scores):
    # Personalizzazione 55.6, Integrità 55.4: paired p = 0.77, in the lead together
    ov = compute_overview(scores, 5)
    assert ov.pillar_standing.leader is None
    line = _pillar_line(summary(ov, "it"))
    assert "più forte" not in line
    assert line.startswith("Tra i pilastri, «Personalizzazione», «Integrità», «Empatia» e "
                           "«Tempo e impegno» sono in testa a pari merito (tra 54 e 56")
    assert "il più debole è «Aspettative» (49)" in line
    assert "share the lead" in _pillar_line(summary(ov, "en"))


def test_the_most_common_stage_needs_paired_tests_too(scores):
    ov = compute_overview(scores, 5)
    line = summary(ov, "it")[1]
    # Definita 80, Gestita 65, In sviluppo 57 of 264: not told apart after Holm
    assert "lo stadio più frequente" not in line
    assert ("gli stadi più frequenti sono, a pari merito, «Definita», «Gestita» e «In sviluppo»"
            in line)
    more = scores.assign(maturity_stage=scores["maturity_stage"].replace("gestita", "definita"))
    line = summary(compute_overview(more, 5), "it")[1]
    assert "lo stadio più frequente è «Definita», con il 55% dei rispondenti" in line


def test_a_clear_lead_is_still_called(scores):
    ahead = scores.assign(pillar_personalisation=scores["pillar_personalisation"] + 8)
    ov = compute_overview(ahead, 5)
    line = _pillar_line(summary(ov, "it"))
    assert line.startswith("Il pilastro più forte è «Personalizzazione» (64), ")
    gap = (ahead["pillar_personalisation"] - ahead["pillar_integrity"]).mean()
    assert f"{gap:.1f} punti sopra «Integrità»".replace(".", ",") in line


def test_no_pillar_sentence_under_k(scores):
    ov = compute_overview(scores.head(3), 5)
    assert ov.pillar_standing is None and len(summary(ov, "it")) == 1
