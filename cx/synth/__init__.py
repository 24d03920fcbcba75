"""Synthetic survey responses: the embedded sample and scale data for benchmarks.

Vectorised and deterministic (same seed, same bytes). Companies belong to one of four latent
profiles; a company's latent maturity drives its practices, which in turn correlate with its
pyramid and pillar answers, its declared KPIs and its opinion of the Club. Each profile's
companies are typical of it (weights in %, touchpoint probabilities): sharp enough that
k-means with four personas finds them in the embedded sample. The resampling rule chooses four
from 5,000 respondents up; on fewer, two or three broader groups are often as stable (three on
the embedded sample).
"""

from cx.synth.names import company_names
from cx.synth.survey import next_wave, synthesize, write_canonical_csv

__all__ = ["company_names", "next_wave", "synthesize", "write_canonical_csv"]
