"""The deck: the survey's storyline (`storyline`) as slides written by topic (`opening`,
`maturity`, `journey`, `personas`, `closing`) from inputs read from the store (`inputs`, `data`),
holding what `content` defines, laid out alike (`layout`) for the PDF (`pdf`) and the PowerPoint
(`pptx`). The Presentazione page shows the same slides through `cx.ui.deck`."""
