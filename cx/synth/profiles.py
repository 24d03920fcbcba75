"""The four latent company profiles of the synthetic survey: each one's maturity, the weights (in
%) of its sectors, sizes, markets, roles and regions, its touchpoint probabilities and the free
texts its respondents write. Data only."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    maturity: float
    sector: dict[str, float]
    size_band: dict[str, float]
    market: dict[str, float]
    role: dict[str, float]
    region: dict[str, float]
    touch: dict[str, float]
    pains: tuple[str, ...]
    priorities: tuple[str, ...]


PROFILES = (
    Profile(  # data-driven pioneers: large B2C/both, high maturity
        0.82,
        {"finance": 45, "telco_utilities": 45, "retail": 9, "tourism": 1},
        {"large": 16, "xlarge": 83, "medium": 1},
        {"b2c": 84, "both": 16},
        {"cx": 83, "marketing": 16, "it_digital": 1},
        {"nord_ovest": 55, "nord_est": 11, "centro": 30, "sud_isole": 4},
        {"website": .98, "app": .98, "ecommerce": .94, "social": .98, "email": .98, "chat": .98,
         "contact_center": .98, "ticketing": .98, "store": .5},
        ("I clienti ci chiedono risposte immediate su tutti i canali, anche di notte.",
         "I dati sono tanti ma faticano a tradursi in azioni personalizzate in tempo reale.",
         "Il passaggio tra app e contact center fa ripetere le stesse informazioni al cliente.",
         "Le aspettative crescono più in fretta della nostra capacità di rilasciare novità.",
         "Troppi messaggi promozionali rischiano di stancare i clienti migliori."),
        ("Portare i modelli predittivi di abbandono in tutti i touchpoint.",
         "Unificare la vista cliente tra app, negozio e contact center.",
         "Misurare il CES su ogni interazione di assistenza.",
         "Personalizzare l'offerta in tempo reale con i dati di utilizzo.",
         "Collegare gli incentivi del personale all'NPS transazionale."),
    ),
    Profile(  # traditional B2B: small manufacturers and services, low maturity
        0.18,
        {"manufacturing": 94, "services": 6, "retail": 1},
        {"micro": 14, "small": 72, "medium": 14},
        {"b2b": 100, "both": 1},
        {"general_management": 50, "sales": 50, "other": 1},
        {"nord_est": 48, "nord_ovest": 26, "centro": 9, "sud_isole": 17},
        {"store": .06, "website": .94, "email": .98, "contact_center": .06, "ecommerce": .02,
         "app": .02, "social": .06, "chat": .02, "ticketing": .02},
        ("I tempi di consegna non sono mai chiari e il cliente deve telefonare per saperli.",
         "Le offerte richiedono troppi giorni e troppi passaggi interni.",
         "Non sappiamo davvero perché perdiamo un cliente.",
         "Il cliente deve cercare la persona giusta da chiamare per ogni problema.",
         "Le informazioni sui prodotti sono sparse tra cataloghi e fogli Excel."),
        ("Disegnare per la prima volta la mappa del Customer Journey.",
         "Iniziare a misurare la soddisfazione dei clienti almeno una volta l'anno.",
         "Dare al commerciale un CRM semplice da usare.",
         "Formare il personale a contatto con i clienti.",
         "Ridurre i tempi di risposta alle richieste di offerta."),
    ),
    Profile(  # digital explorers: retail and tourism, mid maturity, digital touchpoints
        0.48,
        {"retail": 76, "tourism": 24, "services": 1},
        {"small": 16, "medium": 83, "large": 1},
        {"b2c": 100, "both": 1},
        {"it_digital": 50, "marketing": 50, "customer_service": 1},
        {"nord_ovest": 30, "centro": 30, "sud_isole": 30, "nord_est": 11},
        {"website": .98, "ecommerce": .98, "social": .98, "app": .72, "email": .98, "chat": .94,
         "store": .28, "contact_center": .06, "ticketing": .28},
        ("Il carrello viene abbandonato spesso nel passaggio al pagamento.",
         "Sui social le lamentele arrivano prima che ce ne accorgiamo.",
         "Resi e rimborsi richiedono troppi passaggi al cliente.",
         "Il cliente trova prezzi diversi tra sito e negozio.",
         "La chat risponde bene di giorno ma la sera resta scoperta."),
        ("Rendere più semplice il checkout da smartphone.",
         "Integrare i canali online con il punto vendita.",
         "Avviare l'analisi dei dati di navigazione per personalizzare le offerte.",
         "Definire le Buyer Personas con dati reali.",
         "Introdurre l'NPS dopo ogni acquisto online."),
    ),
    Profile(  # structured relational: health, services, finance; people-centred
        0.62,
        {"health": 89, "services": 6, "finance": 6, "telco_utilities": 1},
        {"medium": 50, "large": 50, "xlarge": 1},
        {"both": 83, "b2c": 16, "b2b": 1},
        {"customer_service": 83, "cx": 16, "general_management": 1},
        {"centro": 44, "nord_ovest": 24, "nord_est": 24, "sud_isole": 8},
        {"contact_center": .98, "email": .98, "website": .98, "store": .94, "ticketing": .98,
         "chat": .5, "app": .28, "social": .28, "ecommerce": .02},
        ("Le attese al contact center nei momenti di punta sono ancora troppo lunghe.",
         "Il cliente racconta la sua storia più volte a operatori diversi.",
         "Le comunicazioni scritte sono poco comprensibili per molti clienti.",
         "I reclami si risolvono, ma con tempi che il cliente non capisce.",
         "Manca una presa in carico proattiva dopo un disservizio."),
        ("Formare tutti gli operatori all'ascolto empatico.",
         "Ridurre i tempi di risoluzione dei reclami.",
         "Verificare sul campo il Customer Journey ogni trimestre.",
         "Semplificare il linguaggio delle comunicazioni ai clienti.",
         "Dare a ogni cliente un referente unico."),
    ),
)
