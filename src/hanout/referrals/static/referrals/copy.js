// Copy buttons without inline scripts (CSP: script-src 'self').
//
//   <input id="referral-link" value="…" readonly>
//   <button type="button" data-copy-target="referral-link" data-copied-label="Copied">…</button>
//
// Uses the Clipboard API where the page is a secure context, else selects the text
// and falls back to execCommand so the person can paste it anyway.
(function () {
  "use strict";

  function announce(button, text) {
    const status = document.getElementById("copy-status");
    if (status) status.textContent = text;
    const label = button.querySelector("span");
    if (label) {
      const before = label.textContent;
      label.textContent = text;
      window.setTimeout(() => { label.textContent = before; }, 2000);
    }
  }

  function copy(button) {
    const field = document.getElementById(button.dataset.copyTarget);
    if (!field) return;
    const text = field.value || field.textContent || "";
    const done = () => announce(button, button.dataset.copiedLabel || "Copied");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => fallback(field, done));
    } else {
      fallback(field, done);
    }
  }

  function fallback(field, done) {
    field.focus();
    if (field.select) field.select();
    try {
      if (document.execCommand("copy")) done();
    } catch (e) {
      /* the text stays selected: the person copies it by hand */
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-copy-target]");
    if (button) copy(button);
  });
})();
