"""The deck's keyboard, as presentation clickers send it: one small script in the page itself
(st.html with JavaScript) that listens on the whole document, so the keys work wherever the
focus is (after the slide picker too) and clicks the bar's own buttons; the black screen and
the full screen are the browser's alone. Static: no data in the script."""

from __future__ import annotations

import streamlit as st

# next: PageDown → Space · previous: PageUp ← Shift+Space · Home/End · B or . black (any key
# returns) · F full screen. An open slide picker keeps its keys; other text fields too.
SCRIPT = """<script>
(() => {
  if (window.cxDeckKeys) return;
  window.cxDeckKeys = true;
  const doc = window.document;
  const onDeck = () => doc.querySelector('.st-key-deck_next') !== null;
  // one turn at a time: a press while the page is still running waits for the run to end,
  // so a quick clicker neither loses a press nor lands two on one run
  const queue = [];
  const running = () => {
    const app = doc.querySelector('[data-testid="stApp"]');
    return app !== null && app.getAttribute('data-test-script-state') === 'running';
  };
  const flush = () => {
    if (!queue.length) return;
    if (running()) { setTimeout(flush, 60); return; }
    const b = doc.querySelector('.st-key-' + queue.shift() + ' button');
    if (b && !b.disabled) b.click();
    setTimeout(flush, 300);
  };
  const click = (key) => { queue.push(key); if (queue.length === 1) flush(); };
  const fullscreen = () => {
    if (doc.fullscreenElement) doc.exitFullscreen();
    else doc.documentElement.requestFullscreen().catch(() => {});
  };
  const action = (e) => {
    if (['PageDown', 'ArrowRight'].includes(e.key) || (e.key === ' ' && !e.shiftKey))
      return 'deck_next';
    if (['PageUp', 'ArrowLeft'].includes(e.key) || (e.key === ' ' && e.shiftKey))
      return 'deck_previous';
    return {Home: 'deck_first', End: 'deck_last', b: 'blank', B: 'blank', '.': 'blank',
            f: 'fullscreen', F: 'fullscreen'}[e.key] || null;
  };
  doc.addEventListener('keydown', (e) => {
    if (!onDeck()) return;
    const shade = doc.getElementById('cx-deck-blank');
    if (shade) { shade.remove(); e.preventDefault(); e.stopPropagation(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const el = doc.activeElement;
    if (el && el.getAttribute('aria-expanded') === 'true') return;
    const typing = el && (el.tagName === 'TEXTAREA' || el.isContentEditable ||
      (el.tagName === 'INPUT' && !el.closest('[class*="st-key-deck_pick_"]')));
    const what = action(e);
    if (!what || typing) return;
    e.preventDefault();
    e.stopPropagation();
    if (el && el !== doc.body && el.blur) el.blur();
    if (what === 'blank') {
      const black = doc.createElement('div');
      black.id = 'cx-deck-blank';
      black.style.cssText = 'position:fixed;inset:0;background:#000;z-index:2147483647;';
      black.addEventListener('click', () => black.remove());
      doc.body.appendChild(black);
    } else if (what === 'fullscreen') fullscreen();
    else click(what);
  }, true);
  doc.addEventListener('click', (e) => {
    const target = e.target instanceof Element ? e.target : null;
    if (target && target.closest('.st-key-deck_fullscreen')) {
      e.preventDefault();
      e.stopPropagation();
      fullscreen();
    }
  }, true);
  doc.addEventListener('change', () => {
    const el = doc.activeElement;
    if (onDeck() && el && el.closest && el.closest('[class*="st-key-deck_pick_"]')) el.blur();
  }, true);
})();
</script>"""


def install() -> None:
    """The deck's keys, installed once per browser tab (the script guards itself)."""
    with st.container(key="deck_keys"):
        st.html(SCRIPT, unsafe_allow_javascript=True)
