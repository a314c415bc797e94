// The customer's pay page: group the card number by four, put the slash in the
// expiry date, and send the form once (a second tap would post the card again).
(function () {
  "use strict";
  const form = document.getElementById("pay-form");
  if (!form) return;
  const number = document.getElementById("card_number");
  const expiry = document.getElementById("expiry");
  const cvc = document.getElementById("cvc");
  const submit = document.getElementById("pay-submit");

  number.addEventListener("input", () => {
    const digits = number.value.replace(/\D/g, "").slice(0, 19);
    number.value = digits.replace(/(\d{4})(?=\d)/g, "$1 ");
  });
  expiry.addEventListener("input", (event) => {
    let digits = expiry.value.replace(/\D/g, "").slice(0, 4);
    if (digits.length === 1 && digits > "1") digits = "0" + digits;
    const deleting = event.inputType && event.inputType.startsWith("delete");
    expiry.value = digits.length > 2 || (digits.length === 2 && !deleting)
      ? digits.slice(0, 2) + "/" + digits.slice(2)
      : digits;
  });
  cvc.addEventListener("input", () => {
    cvc.value = cvc.value.replace(/\D/g, "").slice(0, 4);
  });
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    submit.disabled = true;
    submit.textContent = submit.dataset.busyLabel || submit.textContent;
  });
  const firstInvalid = form.querySelector(".is-invalid");
  if (firstInvalid) firstInvalid.focus();
})();
