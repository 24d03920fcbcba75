"""Carica dati: any survey export in, every problem named, nothing ever lost.

Steps, one module each: `upload` (the file received; its hash and record count beside the
rest), `read` (bytes → rows of text: `encoding`, `grid`, `sheets` within `workbook`'s limits,
`body` for DuckDB), `sources` (which tool wrote it, how many header rows), `head` (the header
read: `header` gives the columns, `mapping` their question ids, `options` what the analyst
chose), `recode` (labels → option codes, `written` the words people use), `stage` (set-based SQL
over the staged file), `validate` (refusals and cell problems), `pipeline` (prepare → a frozen
`preview`), `commit` (write, undo, log; `direct` for a file already in codes). Also `problems`
(what can be wrong, translated when shown) and `template`. The command line is `cx.cli.ingest`.
"""
