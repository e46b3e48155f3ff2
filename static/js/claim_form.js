// The claim form: "what the state means" follows the state chosen in the form. A static file
// under the CSP (script-src 'self'); the page works without it (it shows the saved state's).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("id_state");
  const meanings = document.querySelectorAll("[data-meaning-for]");
  if (!select || meanings.length === 0) return;
  const show = () => {
    meanings.forEach((el) => {
      el.hidden = el.dataset.meaningFor !== select.value;
    });
  };
  select.addEventListener("change", show);
  show();
});
