// Small behaviours that need no framework. No inline scripts anywhere (CSP).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("select[data-autosubmit], input[type=checkbox][data-autosubmit]")) {
    el.form.submit();
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// Every form posts the business it was shown for, so a form left open in another
// tab after switching business is refused instead of writing into the wrong one.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const meta = document.querySelector('meta[name="hanout-business"]');
  if (!meta || (form.getAttribute("method") || "").toLowerCase() !== "post" || form.querySelector('input[name="_business"]')) {
    return;
  }
  const input = document.createElement("input");
  input.type = "hidden";
  input.name = "_business";
  input.value = meta.content;
  form.appendChild(input);
});
// Numbers beside menu entries (the chat's unread messages): read once the page is shown,
// so that drawing the menu costs the server nothing. The chat page keeps its own live.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-nav-badge-src]").forEach((badge) => {
    fetch(badge.getAttribute("data-nav-badge-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data || badge.dataset.live) return; // the chat page's own count came first
        badge.querySelector("[data-nav-badge-count]").textContent = data.unread;
        badge.hidden = !data.unread;
      })
      .catch(() => {});
  });
});
