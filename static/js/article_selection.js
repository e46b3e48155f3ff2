// The article's admin page: select a passage of the text and choose "New claim"; the claim form
// opens with the quote and its exact offsets. A static file under the CSP (script-src 'self').
// Offsets are counted in Unicode code points, as Python counts the text (not UTF-16 units).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("article-source");
  const button = document.getElementById("new-claim-from-selection");
  const status = document.getElementById("selection-status");
  if (!source || !button) return;
  const codePoints = (s) => Array.from(s).length;
  let chosen = null;

  const selectionInText = () => {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!source.contains(range.startContainer) || !source.contains(range.endContainer)) return null;
    const before = document.createRange();
    before.selectNodeContents(source);
    before.setEnd(range.startContainer, range.startOffset);
    const text = source.textContent;
    let start = before.toString().length;
    let end = start + range.toString().length;
    // A double click or a drag often takes a space at either end: the passage is without it.
    while (start < end && /\s/.test(text[start])) start += 1;
    while (end > start && /\s/.test(text[end - 1])) end -= 1;
    if (start === end) return null;
    return {
      quote: text.slice(start, end),
      start: codePoints(text.slice(0, start)),
      end: codePoints(text.slice(0, end)),
    };
  };

  document.addEventListener("selectionchange", () => {
    chosen = selectionInText();
    button.disabled = chosen === null;
    if (status) {
      status.textContent = chosen
        ? `Characters ${chosen.start}–${chosen.end} selected.`
        : "Select a passage in the text above.";
    }
  });

  button.addEventListener("click", () => {
    if (!chosen) return;
    const query = new URLSearchParams({
      article: source.dataset.article,
      quote: chosen.quote,
      quote_start: String(chosen.start),
      quote_end: String(chosen.end),
    });
    window.location.assign(`${source.dataset.addUrl}?${query.toString()}`);
  });
});
