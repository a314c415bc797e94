// The till, part 3: the keyboard and the USB barcode scanner.
//
// A scanner is a keyboard that types the code very fast and presses Enter. One
// listener (capture phase, so it runs before anything else) watches every key.
// Characters typed without a pause form a run; at Enter, the end of the run whose
// keys came less than MAX_GAP ms apart (at least MIN_LENGTH of them) is a scan —
// wherever the focus is. A busy page can hold one key back now and then: a lag up
// to HICCUP inside an otherwise fast run is tolerated (see scanAtEnd). A person
// types 100+ ms apart, a scanner a few ms. If the scan landed in a text field (the search box),
// the field gets its value back, so the code does not pollute it; slower typing is
// left alone.
//
// Outside text fields the keys drive the on-screen keypad: digits, Backspace,
// Enter (add by article number), Escape (clear), * (quantity), Delete (remove).
(function () {
  "use strict";

  const T = window.HanoutTill;
  const MAX_GAP = 50; // ms, average between the keys of a scan
  const HICCUP = 150; // ms, the most one key of a scan may lag (a person is slower)
  const PAUSE = 400; // ms without a key: a new run starts
  const MIN_LENGTH = 3;

  function isTextField(el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable) return true;
    if (el.tagName === "TEXTAREA") return true;
    if (el.tagName !== "INPUT") return false;
    return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(
      (el.type || "text").toLowerCase()
    );
  }

  // The scan at the end of `run` (entries {key, t, field, before, keypadBefore}), or null.
  // Walking back from Enter, a key belongs to the scan when it came less than MAX_GAP
  // before the next one; a key that lagged (up to HICCUP) still does when the keys
  // before it were fast too (a busy page held it back) or when it starts the run.
  // Slow keys before the scan (a person typing in the search box) are left out.
  function scanAtEnd(run, enterTime) {
    const n = run.length;
    if (!n || enterTime - run[n - 1].t >= HICCUP) return null;
    let start = n - 1;
    while (start > 0) {
      const gap = run[start].t - run[start - 1].t;
      if (gap < MAX_GAP) {
        start -= 1;
        continue;
      }
      const before = start > 1 ? run[start - 1].t - run[start - 2].t : 0;
      if (gap < HICCUP && before < MAX_GAP) {
        start -= 1;
        continue;
      }
      break;
    }
    if (n - start < MIN_LENGTH) return null;
    if ((enterTime - run[start].t) / (n - start) >= MAX_GAP) return null;
    return { start: run[start], code: run.slice(start).map((e) => e.key).join("") };
  }

  T.installKeyboard = function ({ onScan, keypad }) {
    let run = [];

    document.addEventListener(
      "keydown",
      (event) => {
        const now = event.timeStamp || performance.now();
        const target = event.target;
        const inField = isTextField(target);
        const key = event.key;

        if (key === "Enter") {
          const last = run.length ? run[run.length - 1].t : -Infinity;
          const found = now - last < PAUSE ? scanAtEnd(run, now) : null;
          run = [];
          if (found) {
            event.preventDefault();
            event.stopPropagation();
            const field = found.start.field;
            if (field) {
              field.value = found.start.before; // give the field its value back
              field.dispatchEvent(new Event("input", { bubbles: true }));
            }
            keypad.set(found.start.keypadBefore);
            onScan(found.code);
            return;
          }
          if (!inField && keypad.value()) {
            event.preventDefault();
            keypad.enter();
          }
          return;
        }

        const printable = key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
        if (printable) {
          if (run.length && now - run[run.length - 1].t > PAUSE) run = [];
          run.push({
            key,
            t: now,
            field: inField ? target : null,
            before: inField ? target.value : "",
            keypadBefore: keypad.value(),
          });
          if (run.length > 64) run.shift();
        } else if (key !== "Shift") {
          run = [];
        }

        if (inField || event.ctrlKey || event.metaKey || event.altKey) return;
        if (T.modalOpen && T.modalOpen()) return; // dialogs handle their own keys
        if (/^[0-9]$/.test(key) || key === "." || key === ",") {
          event.preventDefault();
          keypad.type(key === "," ? "." : key);
        } else if (key === "Backspace") {
          event.preventDefault();
          keypad.back();
        } else if (key === "Escape") {
          keypad.clear();
        } else if (key === "*" || key === "x" || key === "X") {
          event.preventDefault();
          keypad.quantity();
        } else if (key === "Delete") {
          event.preventDefault();
          keypad.remove();
        } else if (key === "+") {
          event.preventDefault();
          keypad.step(1);
        } else if (key === "-") {
          event.preventDefault();
          keypad.step(-1);
        } else if (key === "/" || key === "F2") {
          event.preventDefault();
          keypad.search();
        }
      },
      true
    );
  };
})();
