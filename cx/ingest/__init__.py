"""Carica dati: any survey export in, every problem named, nothing ever lost.

Steps, one module each: `read` (bytes → rows of text), `sources` (which tool wrote it, how many
header rows), `mapping` (columns → question ids), `recode` (labels → option codes), `stage` and
`scores` (set-based SQL over the staged file), `validate` (refusals and cell problems),
`pipeline` (prepare → a frozen Preview), `commit` (write, undo, log). Also `problems` (what can
be wrong, translated when shown) and `template`. The command line is `cx.cli.ingest`.
"""
