// The claim form's "said before" box: as the fact-checker writes the claim's wording and quote,
// the claims of every article and other desks' fact-checks most like it (matching.views, the
// same similarity as the claim search). A static file under the CSP (script-src 'self',
// connect-src 'self'); it only asks and shows.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector(".similar-claims[data-similar-url]");
  const wording = document.getElementById("id_wording");
  const quote = document.getElementById("id_quote");
  if (!box || (!wording && !quote)) return;
  let timer = null;
  let asked = 0;

  const element = (tag, className, text) => {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  };

  const row = (result) => {
    const item = element("li", "similar-claims__item similar-claims__item--" + result.kind);
    const link = element("a", "", result.text);
    link.href = result.url || "#";
    if (result.kind === "external") {
      link.rel = "noopener noreferrer";
      item.append(link, element("span", "similar-claims__meta", " — " + result.checked_by));
    } else {
      const verdict = result.verdict_date ? ", verdict of " + result.verdict_date : "";
      item.append(
        link,
        element("span", "similar-claims__meta", " — " + result.state + verdict + ", in “" + result.article + "”"),
      );
    }
    return item;
  };

  const show = (results) => {
    if (!results.length) {
      box.replaceChildren(element("p", "similar-claims__status", "Nothing like it has been checked yet."));
      return;
    }
    const list = element("ol", "similar-claims__list");
    results.forEach((result) => list.append(row(result)));
    box.replaceChildren(element("p", "similar-claims__status", "Checked before, most similar first:"), list);
  };

  const ask = () => {
    const text = [wording ? wording.value : "", quote ? quote.value : ""].join(" ").trim();
    if (!text) return;
    const url = new URL(box.dataset.similarUrl, window.location.href);
    url.searchParams.set("text", text);
    if (box.dataset.exclude) url.searchParams.set("exclude", box.dataset.exclude);
    const mine = ++asked;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((answer) => {
        if (mine === asked) show(answer.results);
      })
      .catch(() => {
        if (mine === asked) box.replaceChildren(element("p", "similar-claims__status", "The similar claims could not be fetched."));
      });
  };

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  };
  [wording, quote].forEach((field) => field && field.addEventListener("input", later));
  ask();
});
