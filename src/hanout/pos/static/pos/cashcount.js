// Closing the session: the drawer's live total while the cashier counts notes and
// coins, and a refusal while the register still holds sales made offline (read from
// the till's IndexedDB outbox; the server refuses too when `pending` > 0).
(function () {
  "use strict";

  const form = document.getElementById("close-form");
  if (!form) return;
  const decimals = Number(form.dataset.decimals || 2);
  const scale = Math.pow(10, decimals);
  // Written like the server writes money here ("45,00 €", "€45.00", "‏45,00 د.م.‏"):
  // the page gives the pattern of zero and the symbols.
  const template = form.dataset.moneyTemplate || "0";
  const decimalSymbol = form.dataset.decimalSymbol || ".";
  const groupSymbol = form.dataset.groupSymbol || "";
  function format(minor) {
    const whole = String(Math.floor(minor / scale)).replace(/\B(?=(\d{3})+(?!\d))/g, groupSymbol);
    const cents = decimals ? decimalSymbol + String(minor % scale).padStart(decimals, "0") : "";
    return template.replace(/0(?:\D0+)?/, whole + cents);
  }
  const total = document.getElementById("count-total");

  function count(input) {
    const text = input.value.trim();
    if (!/^\d*$/.test(text)) return null;
    return Number(text || 0);
  }

  function refresh() {
    let sum = 0; // in minor units: no floating-point drift while adding coins
    let bad = false;
    form.querySelectorAll("[data-count-row]").forEach((row) => {
      const input = row.querySelector("input");
      const out = row.querySelector("[data-subtotal]");
      const n = count(input);
      const value = Math.round(Number(input.dataset.value) * scale);
      if (n === null) {
        bad = true;
        input.classList.add("is-invalid");
        out.textContent = "";
        return;
      }
      input.classList.remove("is-invalid");
      sum += n * value;
      out.textContent = n ? format(n * value) : "";
    });
    const cash = form.querySelector("input[name=counted_cash]");
    if (cash) {
      const v = Number(cash.value.replace(",", "."));
      if (cash.value && !Number.isNaN(v)) sum = Math.round(v * scale);
    }
    if (total) total.textContent = bad ? "—" : format(sum);
  }
  form.addEventListener("input", refresh);
  refresh();

  const shell = window.HanoutShell;
  if (!shell) return;
  shell.pending.then((n) => {
    if (!n) return;
    document.getElementById("pending-warning").hidden = false;
    document.getElementById("close-submit").disabled = true;
  });
})();
