"""The deck: the survey's storyline as slides (`slides`), read from the store (`data`), laid out
alike (`layout`) for the PDF (`pdf`) and the PowerPoint (`pptx`). The Presentazione page shows
the same slides through `cx.ui.deck`."""
