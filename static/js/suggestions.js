// The suggested sentences of an article's admin page (suggestions.templatetags): hovering or
// focusing one highlights it in the marked text (the CSS Custom Highlight API: no element is
// added, so the text's offsets stay the article's); Accept hands the sentence to the claim panel
// (js/article_selection.js, event "claim-panel:passage"), where the fact-checker may narrow it by
// selecting inside it before saving; Dismiss posts with fetch and takes the sentence off the list.
// A claim saved in the panel ("claim-panel:saved") takes the sentences it covers off the list.
// Offsets are Unicode code points, as Python counts them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("suggestions");
  const source = document.getElementById("article-source");
  if (!list || !source) return;
  const count = list.querySelector(".suggestions__count");
  const highlights = window.CSS && CSS.highlights && window.Highlight ? CSS.highlights : null;

  // The DOM range of code points start–end of the text shown in the source block.
  const rangeAt = (start, end) => {
    const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let seen = 0;
    let begun = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const points = Array.from(node.data);
      const upTo = (offset) => points.slice(0, offset - seen).join("").length;
      if (!begun && start < seen + points.length) {
        range.setStart(node, upTo(start));
        begun = true;
      }
      if (begun && end <= seen + points.length) {
        range.setEnd(node, upTo(end));
        return range;
      }
      seen += points.length;
    }
    return null;
  };
  const span = (item) => [Number(item.dataset.start), Number(item.dataset.end)];

  const show = (item) => {
    const range = rangeAt(...span(item));
    if (!range) return;
    if (highlights) highlights.set("suggestion", new Highlight(range));
    const box = range.getBoundingClientRect();
    const frame = source.getBoundingClientRect();
    if (box.top < frame.top || box.bottom > frame.bottom) {
      source.scrollTop += box.top - frame.top - frame.height / 3;
    }
  };
  const hide = () => {
    if (highlights) highlights.delete("suggestion");
  };
  list.addEventListener("mouseover", (event) => {
    const item = event.target.closest(".suggestion");
    if (item) show(item);
  });
  list.addEventListener("focusin", (event) => {
    const item = event.target.closest(".suggestion");
    if (item) show(item);
  });
  list.addEventListener("mouseleave", hide);

  const drop = (item) => {
    item.remove();
    if (count) count.textContent = String(list.querySelectorAll(".suggestion").length);
  };

  list.addEventListener("click", (event) => {
    const accept = event.target.closest(".suggestion__accept");
    if (!accept) return;
    const item = accept.closest(".suggestion");
    const [start, end] = span(item);
    show(item);
    source.dispatchEvent(new CustomEvent("claim-panel:passage", { detail: { start, end } }));
  });

  list.addEventListener("submit", async (event) => {
    const form = event.target.closest(".suggestion__dismiss");
    if (!form) return;
    event.preventDefault();
    const item = form.closest(".suggestion");
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = (response.headers.get("Content-Type") || "").startsWith("application/json")
        ? await response.json()
        : { dismissed: false, message: `The server answered “${response.status} ${response.statusText}”.` };
      if (data.dismissed) {
        hide();
        drop(item);
      } else {
        button.disabled = false;
        item.querySelector(".suggestion__reasons").textContent = `Not dismissed: ${data.message}`;
      }
    } catch {
      button.disabled = false;
      item.querySelector(".suggestion__reasons").textContent = "Not dismissed: the server could not be reached. Try again.";
    }
  });

  document.addEventListener("claim-panel:saved", (event) => {
    const { start, end } = event.detail;
    hide();
    for (const item of list.querySelectorAll(".suggestion")) {
      const [from, to] = span(item);
      if (from < end && start < to) drop(item);
    }
  });
});
