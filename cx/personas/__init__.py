"""Buyer Personas: the answers they are built from, as numbers (`features`), the k-means model
(`model`, the only module that imports scikit-learn), the personas described and matched to a
company (`report`), and their words (`text`). The Buyer Personas page shows them through
`cx.ui.personas`."""
