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

  // "Same claim" and "Cite as evidence" POST by fetch: the box sits inside the claim form,
  // which is neither sent nor lost. A cite changes the claim, so the form's version follows it.
  const post = (url, fields) => {
    const body = new FormData();
    Object.entries(fields).forEach(([name, value]) => body.append(name, value));
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
    }).then((response) => response.json().then((answer) => (response.ok ? answer : Promise.reject(answer))));
  };

  const say = (where, text, failed) => {
    let note = where.querySelector(".similar-claims__said");
    if (!note) {
      note = element("span", "similar-claims__said");
      where.append(note);
    }
    note.classList.toggle("errornote-inline", Boolean(failed));
    note.textContent = " " + text;
  };

  const citeButton = (kind, id, where) => {
    const button = element("button", "button similar-claims__cite", "Cite as evidence");
    button.type = "button";
    button.addEventListener("click", () => {
      const version = document.getElementById("id_version");
      button.disabled = true;
      post(box.dataset.citeUrl || document.querySelector(".same-claims").dataset.citeUrl, {
        kind,
        id,
        version: version ? version.value : "",
      })
        .then((answer) => {
          if (version) version.value = answer.version;
          say(where, answer.message);
        })
        .catch((answer) => {
          button.disabled = false;
          say(where, (answer && answer.error) || "It could not be cited.", true);
        });
    });
    return button;
  };

  const linkButtons = (result, item) => {
    if (!box.dataset.linkUrl) return;
    const actions = element("span", "similar-claims__actions");
    const linked = () => actions.replaceChildren(element("span", "similar-claims__linked", "Same claim ✓ "), citeButton(result.kind, result.id, actions));
    if (result.linked) {
      linked();
    } else {
      const button = element("button", "button similar-claims__same", "Same claim");
      button.type = "button";
      button.addEventListener("click", () => {
        button.disabled = true;
        post(box.dataset.linkUrl, { kind: result.kind, id: result.id })
          .then(linked)
          .catch((answer) => {
            button.disabled = false;
            say(actions, (answer && answer.error) || "It could not be linked.", true);
          });
      });
      actions.append(button);
    }
    item.append(" ", actions);
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
    linkButtons(result, item);
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

  document.querySelectorAll(".same-claims__cite").forEach((button) => {
    button.replaceWith(citeButton(button.dataset.kind, button.dataset.id, button.parentElement));
  });

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  };
  [wording, quote].forEach((field) => field && field.addEventListener("input", later));
  ask();
});
