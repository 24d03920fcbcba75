"""The scorecard: one company against its sector and the Club (`card`), read from the store
(`data`), its figures in the reader's language (`figures`: the pyramid, the radar, the KPI
tables, shared with the Piramide CX and Six Pillars pages) and its one-page PDF (`pdf`). The
pages show it through `cx.ui.scorecard`."""
