"""The glossary: the words of Customer Experience the app's users speak (from the seeds), as data.

Each term has a stable key; its anchor on the Glossario page (`glossario#nps`) is the key with
hyphens, and its name and definition live in `cx/locales/glossary.toml`. The page and the
upload template show the terms in alphabetical order of their name in the reader's language.
Pure: no Streamlit.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from cx.i18n import t

# key: the terms it leads on to (shown as «see also»), in the order the seeds introduce them
TERMS: dict[str, tuple[str, ...]] = {
    "customer_experience": ("customer_journey_ideale", "touchpoint", "piramide_cx"),
    "customer_journey_ideale": ("customer_journey_reale", "fasi_customer_journey",
                                "touchpoint"),
    "customer_journey_reale": ("customer_journey_ideale", "formazione_customer_journey"),
    "fasi_customer_journey": ("customer_journey_ideale",),
    "touchpoint": ("omnicanalita", "customer_journey_ideale"),
    "omnicanalita": ("touchpoint",),
    "formazione_customer_journey": ("customer_journey_ideale", "touchpoint"),
    "buyer_personas": ("indice_maturita_cx",),
    "csi": ("nps", "csat", "ces"),
    "nps": ("csat", "ces", "csi"),
    "csat": ("nps", "ces", "csi"),
    "ces": ("nps", "csat", "csi"),
    "big_data": ("indice_maturita_cx",),
    "piramide_cx": ("autovalutazione", "six_pillars"),
    "six_pillars": ("autovalutazione", "piramide_cx"),
    "autovalutazione": ("piramide_cx", "six_pillars", "nps"),
    "indice_maturita_cx": ("customer_journey_ideale", "big_data", "omnicanalita"),
    "happy_index": ("nps", "csat", "ces"),
    "fattori_chiave": ("matrice_importanza_performance", "six_pillars", "nps"),
    "matrice_importanza_performance": ("fattori_chiave",),
    "temi": ("customer_journey_reale",),
    "qualita_risposte": ("fasi_customer_journey",),
    "pesi_mix_soci": ("indice_maturita_cx", "nps"),
    "posizione_azienda": ("indice_maturita_cx", "six_pillars", "autovalutazione"),
    "pagina_da_seguire": ("indice_maturita_cx",),
}


@dataclass(frozen=True)
class Entry:
    """One term in one language: its key, anchor, name, definition and related terms."""

    key: str
    name: str
    text: str
    related: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return anchor(self.key)

    @property
    def short(self) -> str:
        """The name without its expansion: «NPS» for «NPS – Net Promoter Score»."""
        return self.name.split(" – ", 1)[0]


def anchor(key: str) -> str:
    """The term's anchor on the Glossario page: `piramide_cx` → `piramide-cx`."""
    if key not in TERMS:
        raise KeyError(f"no glossary term {key}")
    return key.replace("_", "-")


def folded(text: str) -> str:
    """`text` without case or accents, for sorting and searching: «Omnicanalità» is found
    as «omnicanalita»."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def entry(key: str, lang: str) -> Entry:
    """One term in `lang`."""
    return Entry(key, t(f"glossary.term.{key}.name", lang), t(f"glossary.term.{key}.text", lang),
                 TERMS[key])


def entries(lang: str) -> tuple[Entry, ...]:
    """Every term in `lang`, in alphabetical order of its name."""
    return tuple(sorted((entry(key, lang) for key in TERMS), key=lambda e: folded(e.name)))


def matching(found: tuple[Entry, ...], query: str) -> tuple[Entry, ...]:
    """The entries whose name or definition holds every word of `query` (case and accents
    aside); all of them for an empty query."""
    words = folded(query).split()
    return tuple(e for e in found
                 if all(w in folded(f"{e.name} {e.text}") for w in words))


def glossary_rows(lang: str) -> list[list[str]]:
    """Term and definition, a header first: the upload template's glossary sheet."""
    header = [t("ingest.template.term", lang), t("ingest.template.definition", lang)]
    return [header, *([e.name, e.text] for e in entries(lang))]
