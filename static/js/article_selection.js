// The article's admin page: select a passage of the marked text and the claim panel beside it
// (a sheet at the foot of the screen on a phone) takes the passage and its exact offsets; saving
// posts the panel's form with fetch (claims.admin.claim_panel), marks the passage in the text
// and leaves the reader where they were, the form fresh for the next selection. A static file
// under the CSP (script-src 'self'). Offsets are counted in Unicode code points, as Python
// counts the text (not UTF-16 units).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("article-source");
  const panel = document.getElementById("claim-panel");
  const form = document.getElementById("claim-panel-form");
  if (!source || !panel || !form) return;
  const fields = form.querySelector(".claim-panel__fields");
  const status = document.getElementById("selection-status");
  const toggle = panel.querySelector(".claim-panel__toggle");
  const message = panel.querySelector(".claim-panel__message");
  const full = form.querySelector(".claim-panel__full");
  const submit = form.querySelector("button[type=submit]");
  const claims = document.getElementById("article-claims");
  const sheet = window.matchMedia("(max-width: 899px)"); // as in states.css
  const field = (name) => form.elements.namedItem(name);
  const codePoints = (s) => Array.from(s).length;
  const short = (s) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);
  const idle = status.textContent;
  panel.hidden = false; // without script the page keeps its link to the full claim form

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

  const setOpen = (open) => {
    panel.dataset.open = String(open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Close" : "Make a claim";
  };

  const choose = (chosen) => {
    field("quote").value = chosen.quote;
    field("quote_start").value = String(chosen.start);
    field("quote_end").value = String(chosen.end);
    // The selection is the occurrence: a choice offered for a passage typed before is void.
    const occurrence = field("occurrence");
    if (occurrence) occurrence.value = "";
    status.textContent = `Characters ${chosen.start}–${chosen.end}: “${short(chosen.quote)}”`;
  };
  // A new selection in the text is the passage: what is typed in the other fields stays.
  document.addEventListener("selectionchange", () => {
    const chosen = selectionInText();
    if (chosen) choose(chosen);
  });

  // A passage typed by hand is looked for in the text when the form is saved.
  form.addEventListener("input", (event) => {
    if (event.target.name !== "quote") return;
    field("quote_start").value = "";
    field("quote_end").value = "";
    status.textContent = idle;
  });

  // A suggested sentence accepted (js/suggestions.js): its code points start–end are the
  // passage; selecting inside it in the text afterwards narrows it.
  source.addEventListener("claim-panel:passage", (event) => {
    const { start, end } = event.detail;
    const points = Array.from(source.textContent);
    choose({ quote: points.slice(start, end).join(""), start, end });
    setOpen(true);
    field("wording").focus({ preventScroll: !sheet.matches });
  });

  toggle.addEventListener("click", () => {
    const open = panel.dataset.open !== "true";
    setOpen(open);
    if (open) field(field("quote").value ? "wording" : "quote").focus();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && sheet.matches && panel.dataset.open === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
  // Ctrl+Enter (⌘+Enter) saves from any field, as the button does.
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // The full claim form (state, evidence…) opens with what is typed here.
  full.addEventListener("click", () => {
    const query = new URLSearchParams();
    for (const name of ["article", "quote", "quote_start", "quote_end", "wording", "claimant", "about"]) {
      const input = field(name);
      if (input && input.value) query.set(name, input.value);
    }
    full.href = `${form.dataset.addUrl}?${query.toString()}`;
  });

  const say = (text, link) => {
    message.textContent = text;
    if (link) {
      const anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = "Open the claim (evidence, state)";
      message.append(" ", anchor);
    }
  };

  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    submit.disabled = true;
    say("Saving…");
    const where = { text: source.scrollTop, x: window.scrollX, y: window.scrollY };
    let data = null;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const kind = response.headers.get("Content-Type") || "";
      if (!kind.startsWith("application/json")) {
        say(`The claim is not saved: the server answered “${response.status} ${response.statusText}”. What you typed is still here.`);
      } else {
        data = await response.json();
      }
    } catch {
      say("The claim is not saved: the server could not be reached. What you typed is still here: try again.");
    } finally {
      busy = false;
      submit.disabled = false;
    }
    if (!data) return;
    fields.innerHTML = data.form;
    if (!data.saved) {
      say(data.message);
      const wrong = fields.querySelector(".errors textarea, .errors input, .errors select");
      if (wrong) wrong.focus();
      return;
    }
    // The marks add no characters: the text keeps its height, the reader keeps their place.
    source.innerHTML = data.text;
    if (claims) claims.innerHTML = data.claims;
    source.scrollTop = where.text;
    window.scrollTo(where.x, where.y);
    window.getSelection().removeAllRanges();
    status.textContent = "Saved. Select the next passage.";
    say(data.message, data.claim.url);
    document.dispatchEvent(new CustomEvent("claim-panel:saved", { detail: data.claim }));
    if (sheet.matches) setOpen(false);
    source.focus({ preventScroll: true });
  });
});
