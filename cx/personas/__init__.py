"""Buyer Personas: the answers they are built from, as weighted numbers (`features`), the k-means
model with k and stability from bootstrap resampling (`model`, the only module that imports
scikit-learn), the personas described (`report`) with the traits that replicate (`traits`),
their names (`names`) and outcomes against the rest of the Club (`outcomes`), a company matched
to its persona (`matching`), and their words (`text`). The Buyer Personas page shows them
through `cx.ui.personas`."""
