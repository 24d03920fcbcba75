import copy
import tomllib

import pytest

from cx.config import QUESTIONNAIRE_PATH
from cx.questionnaire import PILLARS, PYRAMID_LEVELS, parse_questionnaire, questionnaire

FIXED_IDS = ("respondent_id", "wave", "company", "sector", "size_band", "region",
             "club_nps", "club_csat", "club_ces")


@pytest.fixture(scope="module")
def raw():
    with open(QUESTIONNAIRE_PATH, "rb") as fh:
        return tomllib.load(fh)


def test_fixed_ids_exist():
    qn = questionnaire()
    for qid in FIXED_IDS:
        assert qid in qn


def test_every_section_of_the_brief_is_present():
    sections = {q.section for q in questionnaire().questions}
    assert {"profilo", "pratiche", "piramide", "pilastri", "kpi", "aperte", "club"} <= sections


def test_club_questions_have_the_agreed_scales():
    qn = questionnaire()
    assert qn["club_nps"].bounds == (0, 10)
    assert qn["club_csat"].bounds == (1, 5)
    assert qn["club_ces"].bounds == (1, 7)


def test_every_text_and_option_is_in_both_languages():
    for q in questionnaire().questions:
        assert q.it.strip() and q.en.strip(), q.id
        for o in q.options:
            assert o.it.strip() and o.en.strip(), (q.id, o.code)
        assert len(set(q.codes)) == len(q.codes), q.id


def test_constructs_cover_pyramid_and_pillars():
    qn = questionnaire()
    for level in PYRAMID_LEVELS:
        assert len(qn.pyramid_items(level)) >= 2
    for pillar in PILLARS:
        assert len(qn.pillar_items(pillar)) >= 2
    assert all(q.type == "likert" for q in qn.with_construct("pyramid:"))


def test_practices_carry_weights_and_scores():
    qn = questionnaire()
    assert len(qn.practices) >= 10
    for q in qn.practices:
        assert q.weight > 0
        if q.type != "likert":
            assert all(o.score is not None and 0 <= o.score <= 1 for o in q.options), q.id


def test_persona_roles():
    qn = questionnaire()
    assert {q.id for q in qn.with_role("sociodemographic")} >= {"sector", "size_band", "region"}
    assert {q.id for q in qn.with_role("behavioural")} >= {"cj_ideal_map", "touchpoints"}


def test_duplicate_ids_are_refused(raw):
    broken = copy.deepcopy(raw)
    broken["questions"].append(copy.deepcopy(broken["questions"][3]))
    with pytest.raises(ValueError, match="duplicate"):
        parse_questionnaire(broken)


def test_unsafe_identifier_is_refused(raw):
    broken = copy.deepcopy(raw)
    broken["questions"][3]["id"] = 'sector"; DROP TABLE responses; --'
    with pytest.raises(ValueError, match="identifier"):
        parse_questionnaire(broken)


def test_practice_without_weight_is_refused(raw):
    broken = copy.deepcopy(raw)
    q = next(q for q in broken["questions"] if q.get("construct") == "practice")
    q["weight"] = 0
    with pytest.raises(ValueError, match="weight"):
        parse_questionnaire(broken)
