"""The scores stored beside every response: their column names, maturity stages and the yes/no
flags, as plain definitions (no pandas), for the store's SQL and the computations alike
(`cx.scoring`)."""

from __future__ import annotations

from cx.questionnaire import PILLARS, PYRAMID_LEVELS

STAGES = ("iniziale", "in_sviluppo", "definita", "gestita", "ottimizzata")
STAGE_CUTS = (20.0, 40.0, 60.0, 80.0)
MIN_ANSWERED_WEIGHT = 0.5
PYRAMID_COLUMNS = tuple(f"pyramid_{level}" for level in PYRAMID_LEVELS)
PILLAR_COLUMNS = tuple(f"pillar_{p}" for p in PILLARS)
# (higher level, lower level): the pairs a pyramid's foundations are tested on
LEVEL_PAIRS = tuple((upper, lower) for i, lower in enumerate(PYRAMID_COLUMNS)
                    for upper in PYRAMID_COLUMNS[i + 1:])
# yes/no scores: (question, the answers that mean yes) and (multiple choice, the option)
CHOICE_FLAGS = {"has_journey_map": ("cj_ideal_map", ("partial", "complete")),
                "checks_real_journey": ("cj_real_checks", ("half_yearly", "quarterly"))}
OPTION_FLAGS = {"measures_nps": ("cx_indicators", "nps")}
