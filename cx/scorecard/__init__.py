"""The scorecard: one company against its sector and the Club (`card`), read from the store
(`data`), its figures in the reader's language (`figures`: the pyramid, the radar, the KPI
tables, shared with the Piramide CX and Six Pillars pages) and its PDF (`pdf`: the one-pager;
`pdf_position`: the pages after it, on `pdf_layout`). Where the company stands and how it
moved: the filter's moments per company (`peers`), its numbers against the rest of its sector
and of the Club, its percentiles and practices (`standing`), its change since the previous wave
(`moves`), together in `position`, in words in `tables` and as numbers in `downloads`. The
pages show it through `cx.ui.scorecard`."""
