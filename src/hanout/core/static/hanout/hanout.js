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
