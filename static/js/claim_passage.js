// The claim add form: the passage shown in its article as the fact-checker picks the article and
// types or pastes the quote. The server finds it (claims.anchors: the same matching of quotation
// marks, dashes and spaces as when the claim is saved) through a small staff-only admin view;
// this file only asks and shows. A static file under the CSP (script-src 'self', connect-src
// 'self'); without script the form shows what the page was opened with.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector(".passage-preview[data-locate-url]");
  const article = document.getElementById("id_article");
  const quote = document.getElementById("id_quote");
  if (!box || !article || !quote) return;
  const start = document.getElementById("id_quote_start");
  const occurrence = document.getElementById("id_occurrence");
  let timer = null;
  let asked = 0;

  const element = (tag, className, text) => {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  };

  const show = (answer) => {
    const parts = [];
    const problem = !answer.found && !answer.waiting;
    parts.push(
      element(
        "p",
        "passage-preview__status" + (problem ? " passage-preview__status--problem" : ""),
        answer.message,
      ),
    );
    if (answer.found) {
      const text = element("blockquote", "passage-preview__text");
      text.append(answer.before, element("mark", "", answer.passage), answer.after);
      parts.push(text);
    } else if (problem && answer.occurrences && answer.occurrences.length) {
      const list = element("ol", "passage-preview__places");
      answer.occurrences.forEach((place) => list.append(element("li", "", place)));
      parts.push(list);
    }
    box.replaceChildren(...parts);
  };

  const ask = async () => {
    const query = new URLSearchParams({
      article: article.value || "",
      quote: quote.value,
      quote_start: start ? start.value : "",
      occurrence: occurrence ? occurrence.value : "",
    });
    const mine = ++asked;
    try {
      const response = await fetch(`${box.dataset.locateUrl}?${query.toString()}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      let answer;
      try {
        answer = await response.json();
      } catch {
        answer = null;
      }
      if (mine !== asked) return; // a newer question was asked meanwhile
      if (!answer || typeof answer.message !== "string") {
        answer = {
          found: false,
          message:
            response.status === 403
              ? "You may not add claims, so the passage cannot be looked up."
              : "The passage could not be looked up just now; it is checked again when you save.",
        };
      }
      show(answer);
    } catch {
      if (mine === asked) {
        show({
          found: false,
          message: "The passage could not be looked up just now; it is checked again when you save.",
        });
      }
    }
  };

  const later = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 300);
  };

  quote.addEventListener("input", later);
  if (occurrence) occurrence.addEventListener("input", later);
  if (occurrence) occurrence.addEventListener("change", later);
  article.addEventListener("change", later);
  // The article is an autocomplete (select2), which announces a choice through jQuery only.
  if (window.django && window.django.jQuery) window.django.jQuery(article).on("change", later);
});
