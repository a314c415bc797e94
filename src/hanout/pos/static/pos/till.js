// The till, part 5: the selling screen — product buttons, search, keypad, the two
// baskets (main and sub-account), cash withdrawal, idle lock, the online/offline
// status and the service worker. Payment and the ticket are in till-pay.js, the
// customer of a basket in till-customer.js.
//
// Totals here are for display only (catalog prices); the server prices every
// sale again and the ticket shows the server's figures.
(function () {
  "use strict";

  const T = window.HanoutTill;
  const { _, fmt, el, $, $$, money, qty, config } = T;
  // Named like Django's catalog functions, so that makemessages -d djangojs finds the strings.
  const ngettext = T.n_;
  const pgettext = T.p_;
  const root = document.getElementById("till");
  if (!root) return;

  const GRID_LIMIT = 120; // buttons drawn at once; the search finds the rest
  const STORAGE_KEY = `hanout-till:${config.register}:${root.dataset.cashier || ""}`;

  // ============================================================================================
  // State
  // ============================================================================================
  function newBasket(key) {
    return {
      key,
      client_uuid: T.uuid(),
      lines: [],
      withdrawal: 0,
      selected: null,
      payments: [],
      customer: null, // {id, name, trust_level, points}: see till-customer.js
    };
  }
  const state = {
    baskets: { main: newBasket("main"), sub: newBasket("sub") },
    active: "main",
    category: null,
    query: "",
    keypad: "",
    serverResults: [],
  };
  T.state = state;

  function save() {
    try {
      localStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ baskets: state.baskets, active: state.active, session: config.session })
      );
    } catch (e) {
      /* private mode or full: the basket simply does not survive a reload */
    }
  }
  async function restore() {
    let saved;
    try {
      saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    } catch (e) {
      saved = null;
    }
    if (!saved || !saved.baskets) return;
    for (const key of ["main", "sub"]) {
      const b = saved.baskets[key];
      if (!b || !Array.isArray(b.lines)) continue;
      // A basket whose sale was already recorded (a reload right after paying) starts afresh.
      if (await T.outbox.knows(b.client_uuid)) continue;
      state.baskets[key] = Object.assign(newBasket(key), b);
    }
    if (saved.active === "sub" || saved.active === "main") state.active = saved.active;
  }

  const basket = () => state.baskets[state.active];
  T.basket = basket;

  // ============================================================================================
  // Totals (display only)
  // ============================================================================================
  function lineTotal(line) {
    return Math.max(0, money.times(line.price, line.qty) - (line.discount || 0));
  }
  function basketTotal(b) {
    return b.lines.reduce((sum, l) => sum + lineTotal(l), 0) + (b.withdrawal || 0);
  }
  function isEmpty(b) {
    return !b.lines.length && !b.withdrawal;
  }
  T.lineTotal = lineTotal;
  T.basketTotal = basketTotal;

  // ============================================================================================
  // Messages
  // ============================================================================================
  const messageBox = $("#till-message");
  let messageTimer;
  function say(text, kind = "danger", ms = 6000) {
    clearTimeout(messageTimer);
    messageBox.className = `till-message alert mb-0 alert-${kind}`;
    messageBox.textContent = text;
    messageBox.hidden = false;
    if (ms) messageTimer = setTimeout(() => (messageBox.hidden = true), ms);
  }
  T.say = say;

  // ============================================================================================
  // Product buttons, categories, search
  // ============================================================================================
  const grid = $("#till-products");
  const categoriesNav = $("#till-categories");
  const search = $("#till-search");

  function productButton(p) {
    const b = el(
      "button",
      {
        type: "button",
        class: "till-product",
        dataset: { product: p.id },
        title: p.sku ? `${p.name} · ${p.sku}` : p.name,
        onclick: () => addProduct(p),
      },
      p.thumbnail
        ? el("img", { src: p.thumbnail, alt: "", loading: "lazy", decoding: "async" })
        : el("span", { class: "till-product-noimg", "aria-hidden": "true" }, T.icon("box-seam")),
      el("span", { class: "till-product-name", text: p.name }),
      el("span", { class: "till-product-price till-money", text: money.format(p.price) })
    );
    return b;
  }

  function renderCategories() {
    const cats = T.catalog.categories;
    categoriesNav.replaceChildren();
    if (!cats.length) {
      categoriesNav.hidden = true;
      return;
    }
    categoriesNav.hidden = false;
    const chip = (id, name) =>
      el("button", {
        type: "button",
        class: "till-chip" + (state.category === id ? " active" : ""),
        "aria-pressed": state.category === id ? "true" : "false",
        dataset: { category: id || "" },
        text: name,
        onclick: () => {
          state.category = id;
          state.query = "";
          search.value = "";
          renderCategories();
          renderProducts();
        },
      });
    categoriesNav.append(chip(null, _("All")));
    const current = cats.find((c) => c.id === state.category);
    const roots = cats.filter((c) => !c.parent);
    roots.forEach((c) => categoriesNav.append(chip(c.id, c.name)));
    // The chosen branch's children in a second row.
    const branch = current ? (current.parent ? current.parent : current.id) : null;
    const children = branch ? cats.filter((c) => c.parent === branch) : [];
    if (children.length) {
      const row = el("div", { class: "till-subcategories" });
      children.forEach((c) => row.append(chip(c.id, c.name)));
      categoriesNav.append(row);
      // Keep a chosen sub-category's root highlighted.
      const rootChip = categoriesNav.querySelector(`[data-category="${branch}"]`);
      if (rootChip) rootChip.classList.add("active");
    }
  }

  function renderProducts() {
    let products;
    if (state.query) {
      products = T.catalog.search(state.query, GRID_LIMIT);
      for (const p of state.serverResults)
        if (!products.includes(p) && products.length < GRID_LIMIT) products.push(p);
    } else {
      products = T.catalog.inCategory(state.category).slice(0, GRID_LIMIT);
    }
    grid.replaceChildren(...products.map(productButton));
    if (!products.length) {
      grid.append(
        el("p", {
          class: "till-empty",
          text: T.catalog.products.length
            ? _("No product matches.")
            : _("The catalog is not loaded yet on this register."),
        })
      );
    }
  }

  let searchTimer;
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    state.query = search.value.trim();
    state.serverResults = [];
    renderProducts();
    const q = state.query;
    const meta = T.catalog.meta;
    // Beyond the cached part of a large catalog, ask the server too.
    if (q.length >= 2 && meta && meta.truncated) {
      searchTimer = setTimeout(async () => {
        try {
          const found = await T.catalog.searchServer(q);
          if (state.query === q) {
            state.serverResults = found;
            renderProducts();
          }
        } catch (e) {
          /* offline: the cache is all there is */
        }
      }, 300);
    }
  });
  search.addEventListener("keydown", (event) => {
    // Enter in the search box (typed, not scanned): one result → add it; else try it as a code.
    if (event.key !== "Enter") return;
    event.preventDefault();
    const q = search.value.trim();
    if (!q) return;
    const results = T.catalog.search(q, 2);
    if (results.length === 1) {
      addProduct(results[0]);
      search.value = "";
      search.dispatchEvent(new Event("input"));
    } else {
      addByCode(q).then((ok) => {
        if (ok) {
          search.value = "";
          search.dispatchEvent(new Event("input"));
        }
      });
    }
  });

  // ============================================================================================
  // The basket
  // ============================================================================================
  const linesList = $("#till-lines");

  function addProduct(p, qtyMilli = 1000) {
    if (T.pay.isOpen()) {
      say(_("Finish or cancel the payment first."), "warning");
      return;
    }
    if (T.pay.busy()) {
      say(_("One moment: the sale is being sent."), "warning", 3000);
      return;
    }
    T.receipt.closeIfOpen();
    const b = basket();
    let line = b.lines.find((l) => l.product === p.id && !l.discount);
    if (line) {
      line.qty += qtyMilli;
    } else {
      line = {
        uid: T.uuid(),
        product: p.id,
        name: p.name,
        sku: p.sku,
        price: p.price,
        qty: qtyMilli,
        discount: 0,
        unit: p.unit,
      };
      b.lines.push(line);
    }
    b.selected = line.uid;
    changed();
    flash(line.uid);
  }

  async function addByCode(code) {
    code = String(code).trim();
    if (!code) return false;
    let p;
    try {
      p = await T.catalog.lookup(code);
    } catch (err) {
      say(err.message);
      return false;
    }
    if (!p) {
      say(fmt(_("No product with code %(code)s."), { code }), "danger");
      return false;
    }
    if (!p.active) {
      say(fmt(_("%(name)s is not for sale any more."), { name: p.name }), "danger");
      return false;
    }
    addProduct(p);
    return true;
  }
  T.addByCode = addByCode;

  function selectedLine() {
    const b = basket();
    return b.lines.find((l) => l.uid === b.selected) || b.lines[b.lines.length - 1] || null;
  }

  function setQuantity(text) {
    const line = selectedLine();
    if (!line) return say(_("Choose a line first."), "warning");
    const q = qty.parse(text);
    if (!(q > 0)) return say(_("The quantity must be more than zero."), "warning");
    if (line.unit === "piece" && q % 1000) return say(_("This product is sold by the piece."), "warning");
    if (q > 99999000) return say(_("That quantity is too large."), "warning");
    line.qty = q;
    basket().selected = line.uid;
    changed();
  }

  function setDiscount(text) {
    if (!config.can_discount) return say(_("You may not give discounts."), "warning");
    const line = selectedLine();
    if (!line) return say(_("Choose a line first."), "warning");
    const amount = money.parse(text);
    if (!(amount >= 0)) return say(_("Type the amount off the line, then Discount."), "warning");
    if (amount > money.times(line.price, line.qty))
      return say(_("The discount cannot be more than the line."), "warning");
    line.discount = amount;
    changed();
  }

  function removeLine(uid) {
    const b = basket();
    const line = uid ? b.lines.find((l) => l.uid === uid) : selectedLine();
    if (!line) return;
    b.lines = b.lines.filter((l) => l !== line);
    b.selected = b.lines.length ? b.lines[b.lines.length - 1].uid : null;
    changed();
  }

  function step(uid, delta) {
    const b = basket();
    const line = b.lines.find((l) => l.uid === uid) || selectedLine();
    if (!line) return;
    const next = line.qty + delta * 1000;
    if (next <= 0) return removeLine(line.uid);
    line.qty = next;
    b.selected = line.uid;
    changed();
  }

  function renderLine(line, b) {
    const total = lineTotal(line);
    const li = el(
      "li",
      {
        class: "till-line" + (b.selected === line.uid ? " selected" : ""),
        dataset: { line: line.uid, product: line.product },
        "aria-selected": b.selected === line.uid ? "true" : "false",
        onclick: (e) => {
          if (e.target.closest("button")) return;
          b.selected = line.uid;
          changed(false);
        },
      },
      el(
        "div",
        { class: "till-line-main" },
        el("span", { class: "till-line-name", text: line.name }),
        el(
          "span",
          { class: "till-line-detail" },
          el("bdi", { class: "till-line-qty", text: qty.format(line.qty) }),
          " × ",
          el("bdi", { text: money.format(line.price) }),
          line.discount
            ? el("span", {
                class: "till-line-discount",
                text: " − " + money.format(line.discount),
              })
            : null
        )
      ),
      el("strong", { class: "till-line-total till-money", text: money.format(total) }),
      el(
        "span",
        { class: "till-line-buttons" },
        el(
          "button",
          {
            type: "button",
            class: "btn btn-outline-secondary",
            "aria-label": _("One less"),
            onclick: () => step(line.uid, -1),
          },
          T.icon("dash-lg")
        ),
        el(
          "button",
          {
            type: "button",
            class: "btn btn-outline-secondary",
            "aria-label": _("One more"),
            onclick: () => step(line.uid, 1),
          },
          T.icon("plus-lg")
        ),
        el(
          "button",
          {
            type: "button",
            class: "btn btn-outline-danger",
            "aria-label": fmt(_("Remove %(name)s"), { name: line.name }),
            onclick: () => removeLine(line.uid),
          },
          T.icon("trash")
        )
      )
    );
    return li;
  }

  function renderBasket() {
    const b = basket();
    linesList.replaceChildren(...b.lines.map((l) => renderLine(l, b)));
    $("#till-empty").hidden = !isEmpty(b);
    const w = $("#till-withdrawal");
    w.hidden = !b.withdrawal;
    $("#till-withdrawal-amount").textContent = money.format(b.withdrawal || 0);
    const total = basketTotal(b);
    $("#till-total").textContent = money.format(total);
    $("#pay-button-total").textContent = money.format(total);
    $("#pay-button").disabled = isEmpty(b);
    for (const tab of $$(".till-tab")) {
      const key = tab.dataset.basket;
      const other = state.baskets[key];
      const active = key === state.active;
      tab.classList.toggle("active", active);
      tab.setAttribute("aria-selected", active ? "true" : "false");
      tab.querySelector("[data-total]").textContent = isEmpty(other)
        ? ""
        : money.format(basketTotal(other));
      tab.classList.toggle("has-items", !isEmpty(other));
    }
    root.dataset.basket = state.active;
    const selected = linesList.querySelector(".till-line.selected");
    if (selected) selected.scrollIntoView({ block: "nearest" });
    T.emit("basket", b);
  }

  function changed(persist = true) {
    if (persist) save();
    renderBasket();
  }
  T.changed = changed;

  function flash(uid) {
    const li = linesList.querySelector(`[data-line="${uid}"]`);
    if (!li) return;
    li.classList.remove("flash");
    void li.offsetWidth; // restart the animation
    li.classList.add("flash");
  }

  function switchBasket(key) {
    if (T.pay.isOpen()) return;
    state.active = key;
    changed();
  }
  $$(".till-tab").forEach((tab) => tab.addEventListener("click", () => switchBasket(tab.dataset.basket)));

  // A sale the server refused comes back to be fixed (its own client_uuid: nothing
  // was recorded under it).
  T.restoreBasket = function (b) {
    state.baskets[b.key] = b;
    state.active = b.key;
    changed();
  };

  // A paid basket starts afresh (a new client_uuid for the next sale).
  T.resetBasket = function (key) {
    state.baskets[key] = newBasket(key);
    const other = key === "main" ? "sub" : "main";
    // The other basket of the visit still waits: show it.
    if (!isEmpty(state.baskets[other])) state.active = other;
    changed();
  };

  // ============================================================================================
  // Keypad
  // ============================================================================================
  const display = $("#keypad-display");
  const keypad = {
    value: () => state.keypad,
    set(v) {
      state.keypad = String(v || "").slice(0, 32);
      display.textContent = state.keypad;
      display.classList.toggle("empty", !state.keypad);
    },
    type(k) {
      if (k === "." && state.keypad.includes(".")) return;
      keypad.set(state.keypad + k);
    },
    back: () => keypad.set(state.keypad.slice(0, -1)),
    clear: () => keypad.set(""),
    enter() {
      const code = state.keypad;
      keypad.clear();
      if (code) addByCode(code);
    },
    quantity() {
      const v = state.keypad;
      if (!v) return say(_("Type the quantity, then × Qty."), "warning");
      keypad.clear();
      setQuantity(v);
    },
    discount() {
      const v = state.keypad;
      keypad.clear();
      setDiscount(v);
    },
    remove: () => removeLine(null),
    step: (d) => step(null, d),
    search: () => search.focus(),
    withdrawal: () => openWithdrawal(),
  };
  T.keypad = keypad;
  keypad.set("");

  $("#till-keypad").addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.key) return keypad.type(button.dataset.key);
    const action = button.dataset.action;
    if (action && keypad[action]) keypad[action]();
  });

  // ============================================================================================
  // Cash withdrawal
  // ============================================================================================
  const withdrawalPanel = $("#withdrawal-panel");
  const withdrawalInput = $("#withdrawal-amount");
  function openWithdrawal() {
    if (T.pay.isOpen()) return;
    T.receipt.closeIfOpen();
    const typed = state.keypad;
    keypad.clear();
    const b = basket();
    withdrawalInput.value = typed || (b.withdrawal ? money.str(b.withdrawal) : "");
    $("#withdrawal-error").textContent = "";
    const quick = $("#withdrawal-quick");
    quick.replaceChildren(
      ...[10, 20, 50, 100].map((n) =>
        el("button", {
          type: "button",
          class: "btn btn-outline-secondary btn-lg",
          text: money.format(n * Math.pow(10, money.places)),
          onclick: () => {
            withdrawalInput.value = String(n);
            withdrawalInput.focus();
          },
        })
      )
    );
    T.openPanel(withdrawalPanel, withdrawalInput);
  }
  $("#withdrawal-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const amount = money.parse(withdrawalInput.value);
    if (!(amount > 0)) {
      $("#withdrawal-error").textContent = _("Type an amount above zero.");
      return;
    }
    basket().withdrawal = amount;
    T.closePanel(withdrawalPanel);
    changed();
  });
  $("#till-withdrawal-remove").addEventListener("click", () => {
    basket().withdrawal = 0;
    changed();
  });

  // ============================================================================================
  // Panels (dialogs)
  // ============================================================================================
  const panels = () => $$(".till-panel");
  T.modalOpen = () => panels().some((p) => !p.hidden);
  T.openPanel = function (panel, focus) {
    panel.hidden = false;
    root.classList.add("has-panel");
    if (focus) setTimeout(() => focus.focus(), 0);
  };
  T.closePanel = function (panel) {
    panel.hidden = true;
    if (!T.modalOpen()) root.classList.remove("has-panel");
  };
  root.addEventListener("click", (event) => {
    const close = event.target.closest("[data-close]");
    if (!close) return;
    const panel = close.closest(".till-panel");
    if (panel && panel.id === "pay-panel") T.pay.close();
    else if (panel) T.closePanel(panel);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = panels().filter((p) => !p.hidden);
    if (!open.length) return;
    const top = open[open.length - 1];
    if (top.id === "pay-panel") T.pay.close();
    else if (top.id === "receipt-panel") T.receipt.next();
    else T.closePanel(top);
  });

  // ============================================================================================
  // Scanner
  // ============================================================================================
  T.installKeyboard({
    keypad,
    onScan(code) {
      // The Customer panel is open: the scan is a loyalty card, not a product.
      if (T.customer && T.customer.onScan(code)) return;
      if (T.pay.isOpen()) return say(_("Finish or cancel the payment first."), "warning");
      if (!withdrawalPanel.hidden) T.closePanel(withdrawalPanel);
      addByCode(code);
    },
  });

  // ============================================================================================
  // Pay
  // ============================================================================================
  $("#pay-button").addEventListener("click", () => {
    const b = basket();
    if (isEmpty(b)) return;
    keypad.clear();
    T.pay.open(b, {
      name: b.key === "sub" ? pgettext("basket", "Sub-account") : pgettext("basket", "Main"),
      total: basketTotal(b),
    });
  });

  // ============================================================================================
  // Online / offline and the sales waiting
  // ============================================================================================
  const netBadge = $("#net-status");
  const outboxButton = $("#outbox-button");

  function renderOnline() {
    const online = T.isOnline();
    netBadge.className = "badge rounded-pill " + (online ? "text-bg-success" : "text-bg-danger");
    netBadge.replaceChildren(T.icon(online ? "wifi" : "wifi-off"), " ", online ? _("Online") : _("Offline"));
    root.classList.toggle("is-offline", !online);
    $$("[data-needs-network]").forEach((a) => a.classList.toggle("disabled", !online));
    T.emit("online-rendered", online);
  }
  T.on("online", renderOnline);

  let waiting = 0;
  async function renderOutbox() {
    const all = await T.outbox.list();
    const pending = all.filter((e) => e.status === "pending");
    const rejected = all.filter((e) => e.status === "rejected");
    waiting = pending.length;
    root.dataset.waiting = String(waiting);
    outboxButton.hidden = !pending.length && !rejected.length;
    outboxButton.classList.toggle("btn-danger", !!rejected.length && !pending.length);
    outboxButton.classList.toggle("btn-warning", !!pending.length || !rejected.length);
    const parts = [];
    if (pending.length)
      parts.push(
        fmt(ngettext("%(count)s sale waiting", "%(count)s sales waiting", pending.length), {
          count: pending.length,
        })
      );
    if (rejected.length)
      parts.push(
        fmt(ngettext("%(count)s refused", "%(count)s refused", rejected.length), {
          count: rejected.length,
        })
      );
    $("#outbox-count").textContent = parts.join(" · ");
    if (!$("#outbox-panel").hidden) fillOutboxPanel(pending, rejected);
  }
  T.on("outbox", renderOutbox);
  T.waiting = () => waiting;

  function entryRow(entry, extra) {
    const d = entry.display || {};
    return el(
      "li",
      { class: "list-group-item d-flex flex-wrap gap-2 align-items-center" },
      el("strong", { text: entry.sale ? entry.sale.ticket : entry.provisional }),
      entry.sale ? el("small", { class: "text-body-secondary", text: entry.provisional }) : null,
      el("span", { class: "till-money", text: d.total !== undefined ? money.format(d.total) : "" }),
      el("small", {
        class: "text-body-secondary",
        text: new Date(entry.created_at).toLocaleString(),
      }),
      entry.error && !entry.sale ? el("small", { class: "text-danger w-100", text: entry.error }) : null,
      extra || null
    );
  }
  async function fillOutboxPanel(pending, rejected) {
    $("#outbox-pending").replaceChildren(
      ...(pending.length ? pending.map((e) => entryRow(e)) : [el("li", { class: "list-group-item text-body-secondary", text: _("None.") })])
    );
    $("#outbox-rejected").replaceChildren(
      ...(rejected.length
        ? rejected.map((e) =>
            entryRow(
              e,
              el("button", {
                type: "button",
                class: "btn btn-sm btn-outline-secondary ms-auto",
                text: _("Seen, remove"),
                onclick: () => T.outbox.dismiss(e.client_uuid),
              })
            )
          )
        : [el("li", { class: "list-group-item text-body-secondary", text: _("None.") })])
    );
    const sent = await T.outbox.journal(20);
    $("#outbox-sent").replaceChildren(
      ...(sent.length ? sent.map((e) => entryRow(e)) : [el("li", { class: "list-group-item text-body-secondary", text: _("None.") })])
    );
    const blocked = $("#outbox-blocked");
    blocked.hidden = !T.outbox.blocked;
    blocked.textContent = T.outbox.blocked;
  }
  outboxButton.addEventListener("click", async () => {
    const all = await T.outbox.list();
    await fillOutboxPanel(
      all.filter((e) => e.status === "pending"),
      all.filter((e) => e.status === "rejected")
    );
    T.openPanel($("#outbox-panel"));
  });
  $("#outbox-send-now").addEventListener("click", () => T.outbox.drain({ now: true }));

  // ============================================================================================
  // Lock, switch cashier, sign out, close the session: never while sales wait
  // ============================================================================================
  function refuseWhileWaiting() {
    if (waiting > 0) {
      say(
        fmt(
          ngettext(
            "%(count)s sale is waiting to be sent. Wait for the connection before switching cashier, signing out or closing the session.",
            "%(count)s sales are waiting to be sent. Wait for the connection before switching cashier, signing out or closing the session.",
            waiting
          ),
          { count: waiting }
        ),
        "warning",
        10000
      );
      return true;
    }
    if (!T.isOnline()) {
      say(_("This needs the network. Selling continues offline."), "warning", 8000);
      return true;
    }
    return false;
  }

  async function leave(url, { idle = false } = {}) {
    if (!url) return;
    if (refuseWhileWaiting()) return false;
    if (T.pay.busy()) {
      if (!idle) say(_("A phone payment is in progress."), "warning");
      return false;
    }
    let answer = null;
    try {
      // The server refuses too while sales wait (it is told how many).
      const form = { pending: String(waiting) };
      if (idle) form.idle = "1";
      answer = await T.request(url, { method: "POST", form, timeout: 8000 });
    } catch (err) {
      if (err.network || err.status === 409) {
        say(err.message, "warning", 10000);
        return false;
      }
    }
    window.location.assign((answer && answer.redirect) || config.urls.sign_in || window.location.pathname);
    return true;
  }
  $("#lock-button").addEventListener("click", () => leave(config.urls.lock));
  $("#signout-button").addEventListener("click", () => leave(config.urls.sign_out));
  $$("[data-guard-queue]").forEach((a) =>
    a.addEventListener("click", (event) => {
      if (refuseWhileWaiting()) event.preventDefault();
    })
  );
  $$("[data-needs-network]").forEach((a) =>
    a.addEventListener("click", (event) => {
      if (!T.isOnline()) {
        event.preventDefault();
        say(_("This needs the network. Selling continues offline."), "warning");
      }
    })
  );

  // Idle lock: after idle_lock_seconds without a touch or a key (0 = never).
  const idleSeconds = Number(config.idle_lock_seconds || 0);
  let lastInput = Date.now();
  ["pointerdown", "keydown", "wheel", "touchstart"].forEach((type) =>
    document.addEventListener(type, () => (lastInput = Date.now()), { capture: true, passive: true })
  );
  if (idleSeconds > 0) {
    let warned = false;
    setInterval(() => {
      if (Date.now() - lastInput < idleSeconds * 1000) {
        warned = false;
        return;
      }
      if (waiting > 0 || !T.isOnline() || T.pay.busy()) {
        if (!warned) refuseWhileWaiting();
        warned = true;
        return;
      }
      leave(config.urls.lock, { idle: true });
    }, 1000);
  }

  // ============================================================================================
  // Service worker: the app shell for offline reloads
  // ============================================================================================
  async function registerServiceWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "warmed") root.dataset.sw = "warmed";
    });
    try {
      await navigator.serviceWorker.register(root.dataset.swUrl || "/pos/sw.js", { scope: "/pos/" });
      const registration = await navigator.serviceWorker.ready;
      // Resources this page loaded before the worker existed: ask it to keep them.
      const urls = new Set([window.location.pathname]);
      $$("script[src], link[rel=stylesheet][href], link[rel=icon][href]").forEach((n) =>
        urls.add(new URL(n.src || n.href, window.location.href).pathname + new URL(n.src || n.href, window.location.href).search)
      );
      performance.getEntriesByType("resource").forEach((entry) => {
        const u = new URL(entry.name);
        if (u.origin === window.location.origin && /^\/(static|jsi18n)\//.test(u.pathname))
          urls.add(u.pathname + u.search);
      });
      T.catalog.products
        .filter((p) => p.thumbnail)
        .slice(0, 200)
        .forEach((p) => urls.add(p.thumbnail));
      const worker = registration.active || navigator.serviceWorker.controller;
      if (worker) worker.postMessage({ type: "warm", urls: Array.from(urls) });
      T.swReady = true;
      root.dataset.sw = "ready";
    } catch (err) {
      root.dataset.sw = "failed";
    }
  }

  // ============================================================================================
  // Start
  // ============================================================================================
  function fitHeight() {
    const top = root.getBoundingClientRect().top + window.scrollY;
    root.style.setProperty("--till-top", `${Math.max(0, top)}px`);
  }

  async function start() {
    fitHeight();
    window.addEventListener("resize", fitHeight);
    renderOnline();
    await restore();
    changed(false);
    await T.catalog.loadLocal().catch(() => 0);
    renderCategories();
    renderProducts();
    T.on("catalog", () => {
      renderCategories();
      renderProducts();
    });
    T.persistStorage().then((granted) => (root.dataset.persisted = granted ? "yes" : "no"));
    renderOutbox();
    try {
      await T.catalog.refresh();
    } catch (err) {
      if (!T.catalog.products.length) say(_("The catalog could not be loaded. Scanning asks the server while online."), "warning");
    }
    // Refresh the catalog every 15 minutes while online.
    setInterval(() => T.isOnline() && T.catalog.refresh().catch(() => {}), 15 * 60 * 1000);
    T.outbox.drain({ now: true });
    root.dataset.ready = "yes";
    T.emit("ready");
    registerServiceWorker(); // in the background: `ready` may wait for a long time
  }
  start();
})();
