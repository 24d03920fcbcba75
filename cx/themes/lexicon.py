"""The seeded dictionary of themes: the Club's customer-experience vocabulary (the seeds'
Customer Journey, touchpoints, Six Pillars, pyramid and measures, and the frictions members
name: waiting, staff, digital channels, prices, red tape…) as lemmas in Italian and English.
A word ending in `*` is a stem: every lemma that starts with it. Data only; each theme's
name is `themes.theme.<key>` in `cx/locales/themes.toml`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Theme:
    key: str
    words: tuple[str, ...]  # lemmas, or stems ending in '*'

    @cached_property
    def lemmas(self) -> frozenset[str]:
        return frozenset(w for w in self.words if not w.endswith("*"))

    @cached_property
    def stems(self) -> tuple[str, ...]:
        return tuple(w[:-1] for w in self.words if w.endswith("*"))


# Two-word names read as one lemma before themes are matched: «tempo reale» is not waiting,
# «contact center» is customer service, «buyer personas» are no staff.
PHRASES: dict[tuple[str, str], str] = {
    ("tempo", "reale"): "tempo_reale", ("real", "time"): "tempo_reale",
    ("contact", "center"): "contact_center", ("contact", "centre"): "contact_center",
    ("call", "center"): "contact_center", ("call", "centre"): "contact_center",
    ("customer", "journey"): "customer_journey", ("buyer", "persona"): "buyer_persona",
    ("buyer", "personas"): "buyer_persona", ("punto", "vendita"): "punto_vendita",
    ("customer", "service"): "customer_service", ("presa", "carico"): "presa_in_carico",
    ("vista", "cliente"): "vista_cliente", ("single", "view"): "vista_cliente",
}

THEMES: tuple[Theme, ...] = (
    Theme("waiting", (
        "attesa", "attendere", "tempo", "tempistica", "ritardo", "ritardare", "lento",
        "lentezza", "rapido", "rapidità", "veloce", "velocità", "immediato", "giorno",
        "settimana", "coda", "consegna", "sera", "notte", "orario", "wait", "waiting",
        "delay", "slow", "fast", "quick", "speed", "time", "queue", "immediate", "late",
        "delivery", "day", "week", "night", "hours")),
    Theme("staff", (
        "personale", "operatore", "staff", "dipendente", "addetto", "commerciale",
        "venditore", "referente", "persona", "collaboratore", "incentivo", "team",
        "employee", "agent", "salesperson", "seller", "people", "person", "rep")),
    Theme("digital", (
        "app", "sito", "web", "online", "digitale", "ecommerce", "e-commerce", "carrello",
        "checkout", "pagamento", "smartphone", "mobile", "social", "chat", "crm",
        "piattaforma", "navigazione", "website", "site", "digital", "cart", "payment",
        "platform", "portal", "portale")),
    Theme("price", (
        "prezzo", "costo", "costoso", "caro", "tariffa", "sconto", "listino", "bolletta",
        "fattura", "price", "cost", "expensive", "fee", "discount", "cheap", "bill",
        "billing", "invoice", "pricing")),
    Theme("process", (
        "passaggio", "burocrazia", "burocratico", "procedura", "modulo",
        "documento", "reso", "rimborso", "complicato", "complesso", "interno",
        "approvazione", "process", "procedure", "bureaucracy", "paperwork", "form",
        "refund", "return", "step", "complicated", "complex", "red_tape")),
    Theme("communication", (
        "comunicazione", "comunicare", "messaggio", "linguaggio", "informazione",
        "informare", "chiaro", "chiarezza", "comprensibile", "scritto", "promozionale",
        "newsletter", "email", "mail", "communication", "communicate", "message",
        "language", "information", "informed", "clear", "unclear", "wording")),
    Theme("personalisation", (
        "personaliz*", "personalis*", "su_misura", "tailor*", "relevant")),
    Theme("data", (
        "dato", "dati", "analisi", "analytics", "predittiv*", "previsione", "misurare",
        "misurazione", "misura", "indicatore", "kpi", "nps", "csat", "ces", "csi", "soddisfazione",
        "sondaggio", "questionario", "data", "measure", "measurement", "metric", "survey",
        "insight", "predictive", "satisfaction", "dashboard")),
    Theme("training", (
        "formare", "formazione", "corso", "competenza", "addestrare", "training", "train",
        "course", "skill", "coaching", "upskilling")),
    Theme("omnichannel", (
        "omnicanal*", "canale", "integrare", "integrazione", "unificare", "unificato",
        "vista_cliente", "negozio", "punto_vendita", "ripetere", "omnichannel", "channel",
        "integrate", "integration", "unified", "unify", "seamless", "store", "shop",
        "repeat")),
    Theme("service", (
        "assistenza", "contact_center", "reclamo", "lamentela", "disservizio", "problema",
        "risolvere", "risoluzione", "supporto", "chiamare", "telefonare", "telefono",
        "ticket", "customer_service", "support", "complaint", "complain", "issue",
        "problem", "resolve", "resolution", "helpdesk", "phone", "call")),
    Theme("journey", (
        "customer_journey", "journey", "mappa", "mappare", "touchpoint", "buyer_persona",
        "percorso", "map", "mapping")),
    Theme("loyalty", (
        "abbandono", "abbandonare", "perdere", "fidelizzazione", "fidelizzare", "fedeltà",
        "loyalty", "churn", "retention", "lose", "leave", "cancel", "loyal")),
    Theme("ease", (
        "semplice", "semplificare", "semplicità", "facile", "facilità", "macchinoso",
        "easy", "simple", "simplify", "ease", "effort", "effortless", "hard", "difficult")),
    Theme("empathy", (
        "empatia", "empatico", "ascolto", "ascoltare", "proattivo", "presa_in_carico",
        "cura", "empathy", "empathetic", "listen", "listening", "care", "proactive")),
    Theme("expectations", (
        "aspettativa", "novità", "innovazione", "innovare", "rilasciare", "expectation",
        "expect", "innovation", "innovate", "release")),
)
