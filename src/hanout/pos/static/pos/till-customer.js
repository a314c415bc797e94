// The till, part 6: the customer of a basket. The cashier types a phone number or
// scans (or types) a loyalty card code in the Customer panel; the till asks the
// server (GET /api/v1/customers/lookup/?card= then ?phone=), shows the name, trust
// level and points, and keeps the customer on the basket (each basket has its own).
// The customer's id goes in the sale the till sends, also when the sale waits in
// the offline queue; the lookup itself needs the network.
//
// While the panel is open, a scan is the customer's card, never a product
// (till.js hands scans to T.customer.onScan first).
(function () {
  "use strict";

  const T = window.HanoutTill;
  const { _, fmt, el, $, config } = T;
  const ngettext = T.n_;
  const pgettext = T.p_;
  const url = config.api && config.api.customer_lookup;
  const panel = $("#customer-panel");
  if (!url || !panel) return; // this cashier may not read customers

  const input = $("#customer-query");
  const status = $("#customer-status");
  const results = $("#customer-results");
  const removeButton = $("#customer-remove");
  const offlineNote = $("#customer-offline");
  const TRUST_BADGE = {
    high: "text-bg-success",
    normal: "text-bg-primary",
    low: "text-bg-danger",
    unknown: "text-bg-secondary",
  };
  let basketKey = "main"; // the basket the open panel works on
  let asked = 0; // the latest lookup: an older answer arriving late is dropped

  const trustLabel = (level) => (config.trust_levels || {})[level] || level || "";
  const pointsText = (n) =>
    fmt(ngettext("%(count)s point", "%(count)s points", n), { count: n });
  const target = () => T.state.baskets[basketKey];

  // --- the basket's customer, under the tabs ---------------------------------------------------
  function renderStrip() {
    const c = T.basket().customer;
    $("#till-customer-card").hidden = !c;
    $("#customer-detach").hidden = !c;
    $("#customer-button").classList.toggle("has-customer", !!c);
    if (!c) return;
    $("#till-customer-name").textContent = c.name;
    const trust = $("#till-customer-trust");
    trust.className = "badge " + (TRUST_BADGE[c.trust_level] || "text-bg-secondary");
    trust.textContent = trustLabel(c.trust_level);
    $("#till-customer-points").textContent = pointsText(c.points);
  }
  T.on("basket", renderStrip);

  function attach(customer) {
    const b = target();
    b.customer = {
      id: customer.id,
      name: customer.name,
      trust_level: customer.trust_level,
      points: Number(customer.loyalty_points || 0),
    };
    T.changed();
    showAttached();
  }

  function detach() {
    const b = T.basket();
    if (!b.customer) return;
    b.customer = null;
    T.changed();
  }

  // --- the panel --------------------------------------------------------------------------------
  function setStatus(text, kind = "") {
    status.className = "customer-status" + (kind ? ` text-${kind}` : "");
    status.textContent = text;
  }

  function customerRow(c, { chosen = false } = {}) {
    return el(
      "li",
      { class: "list-group-item customer-row" + (chosen ? " chosen" : "") },
      el(
        "div",
        { class: "customer-row-main" },
        el("bdi", { class: "customer-row-name", text: c.name }),
        el(
          "small",
          { class: "text-body-secondary", dir: "ltr" },
          [c.phone, c.card_code].filter(Boolean).join(" · ")
        )
      ),
      el("span", {
        class: "badge " + (TRUST_BADGE[c.trust_level] || "text-bg-secondary"),
        text: trustLabel(c.trust_level),
      }),
      el("span", {
        class: "customer-row-points",
        text: pointsText(Number(c.loyalty_points !== undefined ? c.loyalty_points : c.points || 0)),
      }),
      chosen
        ? null
        : el("button", {
            type: "button",
            class: "btn btn-primary",
            text: _("Choose"),
            onclick: () => attach(c),
          })
    );
  }

  function showAttached() {
    const c = target().customer;
    removeButton.hidden = !c;
    if (!c) {
      results.replaceChildren();
      return;
    }
    results.replaceChildren(customerRow(c, { chosen: true }));
    setStatus(fmt(_("%(name)s is the customer of this sale."), { name: c.name }), "success");
  }

  function renderOffline() {
    const online = T.isOnline();
    offlineNote.hidden = online;
    $("#customer-find").disabled = !online;
  }
  T.on("online-rendered", () => {
    if (!panel.hidden) renderOffline();
  });

  async function find(query, { scanned = false } = {}) {
    query = String(query || "").trim();
    if (!query) {
      setStatus(_("Type a phone number or scan the loyalty card."), "warning");
      input.focus();
      return;
    }
    if (!T.isOnline()) {
      renderOffline();
      setStatus(_("Offline: the customer cannot be looked up now."), "danger");
      return;
    }
    const mine = ++asked;
    setStatus(_("Looking for the customer…"));
    results.replaceChildren();
    let found = [];
    try {
      const ask = (param) =>
        T.request(`${url}?${param}=${encodeURIComponent(query)}`, { timeout: 8000 });
      found = await ask("card");
      // A typed number may be a phone number (a scan is always a card).
      if (!found.length && !scanned && /\d/.test(query)) found = await ask("phone");
    } catch (err) {
      if (mine !== asked) return;
      setStatus(
        err.network ? _("Offline: the customer cannot be looked up now.") : err.message,
        "danger"
      );
      if (err.network) renderOffline();
      return;
    }
    if (mine !== asked || panel.hidden) return;
    if (!found.length) {
      setStatus(fmt(_("No customer found for %(query)s."), { query }), "danger");
      input.select();
      return;
    }
    if (found.length === 1) {
      attach(found[0]);
      input.value = "";
      return;
    }
    setStatus(_("Several customers match: choose one."), "warning");
    results.replaceChildren(...found.map((c) => customerRow(c)));
  }

  function open() {
    if (T.pay.isOpen()) return T.say(_("Finish or cancel the payment first."), "warning");
    T.receipt.closeIfOpen();
    basketKey = T.state.active;
    $("#customer-basket-name").textContent =
      basketKey === "sub" ? pgettext("basket", "Sub-account") : pgettext("basket", "Main");
    input.value = "";
    setStatus("");
    showAttached();
    renderOffline();
    T.openPanel(panel, input);
  }

  $("#customer-button").addEventListener("click", open);
  $("#customer-detach").addEventListener("click", detach);
  $("#customer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    find(input.value);
  });
  removeButton.addEventListener("click", () => {
    target().customer = null;
    T.changed();
    showAttached();
    setStatus(_("No customer on this sale."));
    input.focus();
  });

  T.customer = {
    open,
    // A scan while the panel is open is a loyalty card: true when it was taken.
    onScan(code) {
      if (panel.hidden) return false;
      input.value = code;
      find(code, { scanned: true });
      return true;
    },
  };

  renderStrip();
})();
