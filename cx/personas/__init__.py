"""Buyer Personas: the answers they are built from, as numbers (`features`), the k-means model
(`model`, the only module that imports scikit-learn), the personas described (`report`) with
their names (`names`) and outcomes against the rest of the Club (`outcomes`), a company matched
to its persona (`matching`), and their words (`text`). The Buyer Personas page shows them
through `cx.ui.personas`."""
