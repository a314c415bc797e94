// Every register page: messages ("Paid out recorded", "No session is open") float
// over the screen for a few seconds, then go, so they never hide the till's buttons
// for long. A tap on one closes it at once.
(function () {
  "use strict";
  const SHOW_MS = 5000;
  document.querySelectorAll(".register-toasts .alert").forEach((toast) => {
    const close = () => toast.remove();
    toast.addEventListener("click", close);
    // Errors stay until read and tapped away; the rest go by themselves.
    if (!toast.classList.contains("alert-danger")) setTimeout(close, SHOW_MS);
  });
})();
