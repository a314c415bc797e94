// The register shell's keypads: the PIN sign-in (employee code, then PIN) and the
// on-screen keypads of the cash pages (opening float, paid in/out, drawer count).
//
// Touch first, keyboard too: the fields are real <input>s, so typing works as in
// any form; the on-screen keys type into the field that was last focused. On the
// sign-in form, OK on the code moves to the PIN, OK on the PIN signs in.
(function () {
  "use strict";

  // ------------------------------------------------------------------------------------------
  // A keypad types into the form's "current" field: the last one focused or tapped.
  // ------------------------------------------------------------------------------------------
  function setupKeypad(keypad) {
    const form = keypad.closest("form");
    if (!form) return;
    const fields = () =>
      Array.from(form.querySelectorAll("input[inputmode=numeric], input[inputmode=decimal]")).filter(
        (input) => input.type !== "hidden" && !input.disabled
      );
    let current = form.querySelector("[data-keypad-start]") || fields()[0] || null;

    form.addEventListener("focusin", (event) => {
      if (fields().includes(event.target)) setCurrent(event.target);
    });

    function setCurrent(input) {
      current = input;
      fields().forEach((f) => f.classList.toggle("keypad-current", f === input));
      form.dispatchEvent(new CustomEvent("keypad:current", { detail: input }));
    }

    function type(input, key) {
      if (!input) return;
      let value = input.value;
      const decimal = input.getAttribute("inputmode") === "decimal";
      if (key === ".") {
        if (!decimal || value.includes(".")) return;
        if (!value) value = "0";
      }
      const max = Number(input.getAttribute("maxlength")) || 0;
      if (max && value.length >= max) return;
      input.value = value + key;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }

    // Keys do not take the focus away from the field (no blur, no phone keyboard popping up).
    keypad.addEventListener("pointerdown", (event) => {
      if (event.target.closest("button")) event.preventDefault();
    });
    keypad.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button || !current) return;
      const key = button.dataset.key;
      const action = button.dataset.action;
      if (key !== undefined) type(current, key);
      else if (action === "back") {
        current.value = current.value.slice(0, -1);
        current.dispatchEvent(new Event("input", { bubbles: true }));
      } else if (action === "clear") {
        current.value = "";
        current.dispatchEvent(new Event("input", { bubbles: true }));
      } else if (action === "next") {
        const list = fields();
        const next = list[list.indexOf(current) + 1];
        if (next) next.focus();
      }
    });

    // Typing on a hardware keyboard while no field has the focus (e.g. after a tap on
    // the page) still goes to the current field.
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
      if (event.ctrlKey || event.metaKey || event.altKey || !current) return;
      if (/^[0-9.]$/.test(event.key)) {
        event.preventDefault();
        current.focus();
        type(current, event.key);
      } else if (event.key === "Backspace") {
        event.preventDefault();
        current.focus();
        current.value = current.value.slice(0, -1);
        current.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });

    if (current) setCurrent(current);
    return { setCurrent, current: () => current };
  }

  document.querySelectorAll("[data-keypad]").forEach(setupKeypad);

  // Sales still waiting in the till's outbox (IndexedDB "hanout-till", made by till-store.js).
  function pendingSales() {
    return new Promise((resolve) => {
      if (!("indexedDB" in window)) return resolve(0);
      let request;
      try {
        request = indexedDB.open("hanout-till");
      } catch (e) {
        return resolve(0);
      }
      request.onupgradeneeded = () => {
        // No till ever ran here: do not create an empty database.
        request.transaction.abort();
        resolve(0);
      };
      request.onerror = () => resolve(0);
      request.onsuccess = () => {
        const db = request.result;
        try {
          if (!db.objectStoreNames.contains("outbox")) return resolve(0);
          const store = db.transaction("outbox", "readonly").objectStore("outbox");
          const query = store.indexNames.contains("status") ? store.index("status").count("pending") : store.count();
          query.onsuccess = () => resolve(query.result || 0);
          query.onerror = () => resolve(0);
        } catch (e) {
          resolve(0);
        } finally {
          db.close();
        }
      };
    });
  }

  // Every "sign out" and "close" form of the shell tells the server how many sales wait:
  // it refuses while some do (the till's own buttons refuse first).
  const pending = document.querySelector("[data-pending]")
    ? pendingSales().then((n) => {
        document.querySelectorAll("[data-pending]").forEach((input) => (input.value = String(n)));
        return n;
      })
    : Promise.resolve(0);
  window.HanoutShell = { pending, pendingSales };

  // ------------------------------------------------------------------------------------------
  // The sign-in: code, then PIN.
  // ------------------------------------------------------------------------------------------
  const form = document.getElementById("signin-form");
  if (!form) return;
  const code = form.querySelector("input[name=code]");
  const pin = form.querySelector("input[name=pin]");
  const ok = document.getElementById("signin-ok");
  const hint = document.getElementById("signin-hint");
  const error = document.getElementById("signin-error");
  let step = "code";

  function digitsOnly(input) {
    input.addEventListener("input", () => {
      const clean = input.value.replace(/\D+/g, "");
      if (clean !== input.value) input.value = clean;
    });
  }
  digitsOnly(code);
  digitsOnly(pin);

  function show(which) {
    step = which;
    form.dataset.step = which;
    form.querySelectorAll(".signin-field").forEach((f) => f.classList.toggle("active", f.dataset.step === which));
    ok.textContent = which === "code" ? ok.dataset.labelNext : ok.dataset.labelSubmit;
    hint.textContent = which === "code" ? hint.dataset.hintCode : hint.dataset.hintPin;
  }

  form.addEventListener("keypad:current", (event) => show(event.detail === pin ? "pin" : "code"));

  // Enter on the code goes to the PIN; Enter on the PIN signs in (the form's own submit).
  code.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      if (code.value) pin.focus();
    }
  });

  form.addEventListener("submit", (event) => {
    if (form.dataset.waiting) {
      event.preventDefault();
      return;
    }
    if (step === "code" || !code.value) {
      event.preventDefault();
      if (code.value) pin.focus();
      else code.focus();
      return;
    }
    if (!pin.value) {
      event.preventDefault();
      pin.focus();
      return;
    }
    ok.disabled = true;
  });

  // After a wrong try the code stays: the PIN is asked again.
  if (code.value) {
    pin.focus();
    show("pin");
  } else {
    code.focus();
    show("code");
  }

  // Too many wrong tries: count down, then let the person try again.
  const wait = Number(form.dataset.wait || 0);
  if (wait > 0) {
    const until = Date.now() + wait * 1000;
    const template = error.dataset.templateWait || "";
    form.dataset.waiting = "1";
    ok.disabled = true;
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) {
        delete form.dataset.waiting;
        ok.disabled = false;
        error.classList.add("d-none");
        clearInterval(timer);
        return;
      }
      error.classList.remove("d-none");
      error.textContent = template.replace("%(seconds)s", String(left));
    };
    const timer = setInterval(tick, 1000);
    tick();
  }
})();
