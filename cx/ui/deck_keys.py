"""The deck's keyboard, as presentation clickers send it: one small script in the page itself
(st.html with JavaScript) that listens on the whole document, so the keys work wherever the
focus is (after the slide picker too) and clicks the bar's own buttons; the black screen and
the full screen are the browser's alone. Static: no data in the script."""

from __future__ import annotations

import streamlit as st

# next: PageDown → Space · previous: PageUp ← Shift+Space · Home/End · B or . black (any key
# returns) · F full screen. An open slide picker keeps its keys; other text fields too.
SCRIPT = r"""<script>
(() => {
  if (window.cxDeckKeys) return;
  window.cxDeckKeys = true;
  const doc = window.document;
  const onDeck = () => doc.querySelector('[class*="st-key-deck_next_"]') !== null;
  // one turn at a time: the next press waits for this turn's run (3 s at most), and a turn
  // a poll swallowed is clicked again (the same button: once its
  // turn is taken it is gone, and cannot turn twice)
  const queue = [];
  const running = () => {
    const app = doc.querySelector('[data-testid="stApp"]');
    return app !== null && app.getAttribute('data-test-script-state') === 'running';
  };
  const shown = () => {
    const el = doc.querySelector('[class*="st-key-deck_pick_"]');
    const m = el && el.className.match(/st-key-deck_pick_(\d+)/);
    return m ? Number(m[1]) : null;
  };
  // the button whose key starts with `key` (back and next end with the slide they leave);
  // returns its exact key, to click that same button again if its turn was lost
  const press = (key) => {
    const sel = /\d$/.test(key) ? '.st-key-' + key : '[class*="st-key-' + key + '"]';
    const b = doc.querySelector(sel + ' button');
    if (!b || b.disabled) return null;
    const m = b.closest(sel).className.match(/st-key-(\S+)/);
    b.click();
    return m ? m[1] : null;
  };
  const settle = (exact, before, tries, waited) => {
    if (running() && waited < 3000) {
      setTimeout(() => settle(exact, before, tries, waited + 60), 60);
      return;
    }
    if (shown() === before && tries > 0 && press(exact)) {
      setTimeout(() => settle(exact, before, tries - 1, 0), 700);
      return;
    }
    queue.shift();
    flush();
  };
  const flush = () => {
    if (!queue.length) return;
    const before = shown();
    const exact = press(queue[0]);
    if (!exact) { queue.shift(); flush(); return; }
    setTimeout(() => settle(exact, before, 2, 0), 500);
  };
  const click = (key) => { queue.push(key); if (queue.length === 1) flush(); };
  const fullscreen = () => {
    if (doc.fullscreenElement) doc.exitFullscreen();
    else doc.documentElement.requestFullscreen().catch(() => {});
  };
  const action = (e) => {
    if (['PageDown', 'ArrowRight'].includes(e.key) || (e.key === ' ' && !e.shiftKey))
      return 'deck_next_';
    if (['PageUp', 'ArrowLeft'].includes(e.key) || (e.key === ' ' && e.shiftKey))
      return 'deck_previous_';
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
    st.html(SCRIPT, unsafe_allow_javascript=True)
