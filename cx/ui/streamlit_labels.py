"""Streamlit's own labels in the page's language, and readable captions (WCAG 2.2 AA).

Streamlit has no translation of its built-in texts («Select all», «Press Enter to apply»,
«Upload», «Skip to main content», aria-labels such as «Help for …»). On an Italian page a
short script rewrites them where they appear: a text node's value in place (React keeps its
node, so nothing breaks), an aria-label's value; each original is kept so that switching to
English puts Streamlit's own back. CSS alone could hide the English and show Italian beside
it, but screen readers would then meet an option or a link without a name.
Captions: Streamlit draws them at 60% opacity (#76797c, 4.4:1 on white; links 3:1): opaque,
in a grey and a blue of ≥ 4.5:1.
"""

from __future__ import annotations

import json

import streamlit as st

from cx.i18n import LANGS, normalise_lang, t

CAPTION_TEXT = "#595E66"  # 6.5:1 on white
LINK_TEXT = "#0B4F8A"  # the brand blue, 8.4:1 on white
CSS = f"""<style id="cx-streamlit-labels">
.stElementContainer:has(#cx-streamlit-labels) {{ display: none; }}
[data-testid="stCaptionContainer"] {{ color: {CAPTION_TEXT}; opacity: 1; }}
[data-testid="stCaptionContainer"] a {{ color: {LINK_TEXT}; }}
</style>"""
# Streamlit 1.67's English texts (a regular expression over the whole text, its groups
# passed to the catalogue's placeholders) → catalogue key.
TEXTS = (
    (r"Select all", "streamlit.select_all", ()),
    (r"No results", "streamlit.no_results", ()),
    (r"Press Enter to submit form", "streamlit.submit_form", ()),
    (r"Press Enter to apply", "streamlit.apply", ()),
    (r"Press (⌘|Ctrl)\+Enter to submit form", "streamlit.submit_form_keys", ("keys",)),
    (r"Press (⌘|Ctrl)\+Enter to apply", "streamlit.apply_keys", ("keys",)),
    (r"Upload", "streamlit.upload", ()),
    (r"Add files", "streamlit.add_files", ()),
    (r"Drag and drop a file here", "streamlit.drop_file", ()),
    (r"Drag and drop files here", "streamlit.drop_files", ()),
    (r"(\d[\d.,]*)\s?([KMGT]?B) per file(.*)", "streamlit.upload_limit",
     ("number", "unit", "types")),
    (r"Skip to main content", "streamlit.skip", ()),
)
# aria-label, placeholder and title attributes
LABELS = (
    (r"Help for (.*)", "streamlit.help_for", ("label",)),
    (r"file upload", "streamlit.file_input", ()),
    (r"Clear all", "streamlit.clear_all", ()),
    (r"Open", "streamlit.open", ()),
    (r"Dismiss", "streamlit.dismiss", ()),
    (r"Link to heading", "streamlit.heading_link", ()),
    (r"Choose an option", "streamlit.choose", ()),
    (r"Choose options", "streamlit.choose_many", ()),
)
SCRIPT = """<script>
(() => {
  const rules = %s;
  const compile = list => list.map(([p, r]) => [new RegExp('^' + p + '$', 's'), r]);
  const texts = compile(rules.texts), labels = compile(rules.labels);
  const win = window.parent, doc = win.document;
  const ATTRS = ['aria-label', 'placeholder', 'title'];
  // per text node or attribute: [Streamlit's value, ours], to leave alone what Streamlit
  // writes anew, and to put Streamlit's own back in English
  const done = win.cxLabelsDone = win.cxLabelsDone || {text: new Map(), ...Object.fromEntries(
    ATTRS.map(a => [a, new Map()]))};
  function swap(seenBy, node, list, read, write) {
    const now = read(), seen = seenBy.get(node);
    const orig = seen && now === seen[1] ? seen[0] : now;
    if (!orig) return;
    for (const [re, local] of list) {
      if (re.test(orig.trim())) {
        const ours = orig.trim().replace(re, local);
        seenBy.set(node, [orig, ours]);
        if (now !== ours) write(ours);
        return;
      }
    }
    if (seen) seenBy.delete(node);
  }
  const text = n => swap(done.text, n, texts, () => n.nodeValue, v => { n.nodeValue = v; });
  const attr = (el, a) => swap(done[a], el, labels, () => el.getAttribute(a),
                               v => el.setAttribute(a, v));
  const attrs = el => ATTRS.forEach(a => el.hasAttribute(a) && attr(el, a));
  function walk(root) {
    if (root.nodeType === 3) return text(root);
    if (root.nodeType !== 1) return;
    attrs(root);
    root.querySelectorAll(ATTRS.map(a => '[' + a + ']').join(',')).forEach(attrs);
    const it = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = it.nextNode(); n; n = it.nextNode()) text(n);
  }
  if (!texts.length) {  // English: Streamlit's own texts back
    for (const [node, [orig, ours]] of done.text) {
      if (node.nodeValue === ours) node.nodeValue = orig;
    }
    for (const a of ATTRS) {
      for (const [el, [orig, ours]] of done[a]) {
        if (el.getAttribute(a) === ours) el.setAttribute(a, orig);
      }
    }
    Object.values(done).forEach(m => m.clear());
  }
  if (win.cxLabelsObserver) win.cxLabelsObserver.disconnect();
  win.cxLabelsObserver = new MutationObserver(records => {
    for (const r of records) {
      if (r.type === 'childList') r.addedNodes.forEach(walk);
      else if (r.type === 'characterData') text(r.target);
      else attr(r.target, r.attributeName);
    }
  });
  if (!texts.length) return;
  walk(doc.body);
  win.cxLabelsObserver.observe(doc.body, {subtree: true, childList: true, characterData: true,
                                          attributeFilter: ATTRS});
})();
</script>"""


def _replacement(key: str, groups: tuple[str, ...], lang: str) -> str:
    """The catalogue's text with its placeholders as the pattern's groups ($1, $2…)."""
    return t(key, lang, **{name: f"${i}" for i, name in enumerate(groups, start=1)})


def rules(lang: str) -> dict[str, list[list[str]]]:
    """The rewriting rules for `lang` (none in English: Streamlit's own language)."""
    if lang == "en":
        return {"texts": [], "labels": []}
    return {part: [[pattern, _replacement(key, groups, lang)] for pattern, key, groups in table]
            for part, table in (("texts", TEXTS), ("labels", LABELS))}


def script(lang: str) -> str:
    return SCRIPT % json.dumps(rules(lang), ensure_ascii=False)


# built once from the catalogue: the page only ever draws these constants (tests/test_markup.py)
HTML = {lang: CSS + script(lang) for lang in LANGS}


def apply(lang: str) -> None:
    """Draw the style and the script, in one element that hides itself (an empty element
    would still take a gap's height above the page)."""
    st.html(HTML[normalise_lang(lang)], unsafe_allow_javascript=True)
