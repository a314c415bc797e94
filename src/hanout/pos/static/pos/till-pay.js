// The till, part 4: paying a basket (cash with change, card, phone by QR code, or
// several of them) and the ticket shown afterwards.
//
// Completing a sale writes it to the outbox first (IndexedDB), then sends it.
// Online, the ticket shows the server's number and figures a moment later;
// offline, a provisional number "OFF-xxxxxxxx" (the start of the sale's
// client_uuid) until the sale reaches the server, which then gives the real one.
(function () {
  "use strict";

  const T = window.HanoutTill;
  const { _, fmt, el, $, $$, money, qty, config } = T;
  const root = document.getElementById("till");
  if (!root) return;

  const panel = $("#pay-panel");
  const tendered = $("#pay-tendered");
  const cardAmount = $("#pay-card-amount");
  const pointsInput = $("#pay-points");
  // Paying with loyalty points (programme on, customers readable): what one point pays.
  const pointValue = config.loyalty ? money.parse(config.loyalty.point_value) : 0;
  const errorBox = $("#pay-error");

  const pay = {
    basket: null,
    total: 0,
    method: "cash",
    link: null, // the pending phone-payment link {id, amount, url}
    completing: false,
    focused: null, // the input the payment keypad types into
  };

  const paid = () => pay.basket.payments.reduce((s, p) => s + p.amount, 0);
  const remaining = () => Math.max(0, pay.total - paid());

  function setError(text) {
    errorBox.textContent = text || "";
  }

  // --- quick amounts: the notes a customer is likely to hand over ---------------------------
  function quickAmounts(due) {
    const unit = Math.pow(10, money.places);
    const out = [due];
    for (const step of [1, 5, 10, 20, 50, 100, 200]) {
      const v = Math.ceil(due / (step * unit)) * step * unit;
      if (v > due && !out.includes(v)) out.push(v);
      if (out.length >= 5) break;
    }
    return out;
  }

  function render() {
    const b = pay.basket;
    $("#pay-due").textContent = money.format(pay.total);
    $("#pay-paid").textContent = money.format(paid());
    $("#pay-remaining").textContent = money.format(remaining());
    const list = $("#pay-list");
    list.replaceChildren(
      ...b.payments.map((p, i) =>
        el(
          "li",
          { class: "pay-item" },
          el("span", { text: methodLabel(p.method, p) }),
          el("strong", { class: "till-money", text: money.format(p.amount) }),
          p.method === "phone"
            ? el("span", { class: "badge text-bg-success", text: _("Paid") })
            : el(
                "button",
                {
                  type: "button",
                  class: "btn btn-sm btn-outline-danger",
                  "aria-label": _("Remove this payment"),
                  onclick: () => {
                    b.payments.splice(i, 1);
                    T.changed();
                    render();
                    choose(pay.method);
                  },
                },
                T.icon("x-lg")
              )
        )
      )
    );
    renderChange();
    const online = T.isOnline();
    const phone = $("#pay-method-phone");
    phone.classList.toggle("offline", !online);
    phone.setAttribute("aria-disabled", online ? "false" : "true");
    $("#pay-phone-offline").hidden = online || !!pay.link;
    $("#pay-phone-start").disabled = !online;
    $("#pay-phone-start").hidden = !!pay.link;
    $("#pay-method-points").hidden = !(pointsLeft() > 0 || pay.method === "points");
    $("#pay-points-offline").hidden = online;
  }

  function methodLabel(method, p) {
    if (method === "points" && p) return fmt(_("Points: %(count)s pts"), { count: p.points });
    return { cash: _("Cash"), card: _("Card"), phone: _("Phone (QR)") }[method] || method;
  }

  // --- loyalty points ---------------------------------------------------------------------------
  // The attached customer's points not yet used on this basket (0 without the programme).
  function pointsLeft() {
    const c = pay.basket && pay.basket.customer;
    if (!pointValue || !c) return 0;
    const used = pay.basket.payments.reduce((s, p) => s + (p.method === "points" ? p.points : 0), 0);
    return Math.max(0, Number(c.points || 0) - used);
  }
  function typedPoints() {
    const text = pointsInput.value.trim();
    return /^\d+$/.test(text) ? Number(text) : NaN;
  }
  function renderPoints() {
    const n = typedPoints();
    $("#pay-points-value").textContent = money.format(n > 0 ? n * pointValue : 0);
  }
  function takePoints() {
    if (!T.isOnline())
      return setError(_("Offline: points cannot be used now (the balance cannot be checked). Take cash or card."));
    const n = typedPoints();
    if (!(n > 0)) return setError(_("Type a whole number of points."));
    if (n > pointsLeft())
      return setError(fmt(_("Not enough points: %(count)s left."), { count: pointsLeft() }));
    const amount = n * pointValue;
    if (amount > remaining())
      return setError(_("The points would pay more than what remains."));
    pay.basket.payments.push({ method: "points", points: n, amount });
    T.changed();
    afterPayment();
  }

  function renderChange() {
    const due = remaining();
    const given = tendered.value.trim() ? money.parse(tendered.value) : due;
    const change = given > due ? given - due : 0;
    $("#pay-change").textContent = money.format(change);
    panel.classList.toggle("has-change", change > 0);
  }

  function choose(method) {
    pay.method = method;
    $$(".pay-method", panel).forEach((b) => {
      b.classList.toggle("active", b.dataset.method === method);
      b.setAttribute("aria-selected", b.dataset.method === method ? "true" : "false");
    });
    $$(".pay-pane", panel).forEach((p) => (p.hidden = p.dataset.pane !== method));
    setError("");
    const due = remaining();
    if (method === "cash") {
      tendered.value = "";
      tendered.placeholder = money.str(due);
      $("#pay-quick").replaceChildren(
        ...quickAmounts(due).map((v, i) =>
          el("button", {
            type: "button",
            class: "btn btn-outline-primary btn-lg" + (i === 0 ? " pay-exact" : ""),
            text: i === 0 ? _("Exact") + " " + money.format(v) : money.format(v),
            dataset: { amount: money.str(v) },
            onclick: () => {
              tendered.value = money.str(v);
              renderChange();
            },
          })
        )
      );
      pay.focused = tendered;
      renderChange();
    } else if (method === "card") {
      cardAmount.value = money.str(due);
      pay.focused = cardAmount;
    } else if (method === "points") {
      const left = pointsLeft();
      // As many as cover the rest (never more than it), capped by the balance.
      pointsInput.value = String(Math.min(left, Math.floor(due / pointValue)));
      $("#pay-points-balance").textContent = fmt(
        _("%(name)s has %(count)s points, worth %(value)s."),
        { name: pay.basket.customer.name, count: left, value: money.format(left * pointValue) }
      );
      renderPoints();
      pay.focused = pointsInput;
    } else if (method === "phone") {
      pay.focused = null;
      if (!pay.link) {
        $("#pay-qr").replaceChildren();
        $("#pay-phone-amount").textContent = money.format(due);
        $("#pay-phone-status").textContent = T.isOnline()
          ? _("Show the QR code to the customer: they pay on their phone.")
          : "";
      }
      if (T.isOnline()) socket.connect();
    }
    render();
    if (pay.focused && window.matchMedia("(pointer: fine)").matches) pay.focused.focus();
  }
  $$(".pay-method", panel).forEach((b) =>
    b.addEventListener("click", () => {
      if (pay.link && b.dataset.method !== "phone")
        return setError(_("Cancel the QR payment first."));
      if (b.dataset.method === "phone" && !T.isOnline())
        return setError(_("Phone payment needs the network. Take cash or card."));
      choose(b.dataset.method);
    })
  );
  tendered.addEventListener("input", renderChange);
  pointsInput.addEventListener("input", renderPoints);
  [tendered, cardAmount, pointsInput].forEach((input) => {
    input.addEventListener("focus", () => (pay.focused = input));
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        (input === tendered ? takeCash : input === cardAmount ? takeCard : takePoints)();
      }
    });
  });

  // The panel's own keypad types into the amount field in use.
  $(".till-pay-keypad", panel).addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !pay.focused) return;
    const k = button.dataset.pkey;
    const input = pay.focused;
    if (k === "back") input.value = input.value.slice(0, -1);
    else if (k === "." && input.value.includes(".")) return;
    else input.value += k;
    input.dispatchEvent(new Event("input"));
  });

  // --- cash, card -----------------------------------------------------------------------------
  function takeCash() {
    const due = remaining();
    const given = tendered.value.trim() ? money.parse(tendered.value) : due;
    if (!(given > 0)) return setError(_("Type the amount received."));
    const amount = Math.min(given, due);
    pay.basket.payments.push({ method: "cash", amount, tendered: given });
    T.changed();
    afterPayment();
  }
  function takeCard() {
    const due = remaining();
    const amount = cardAmount.value.trim() ? money.parse(cardAmount.value) : due;
    if (!(amount > 0)) return setError(_("Type the amount paid by card."));
    if (amount > due) return setError(_("A card payment cannot be more than what remains."));
    pay.basket.payments.push({ method: "card", amount, reference: "" });
    T.changed();
    afterPayment();
  }
  $("#pay-cash-ok").addEventListener("click", takeCash);
  $("#pay-card-ok").addEventListener("click", takeCard);
  $("#pay-points-ok").addEventListener("click", takePoints);

  function afterPayment() {
    if (remaining() === 0) return complete();
    render();
    choose(pay.method === "cash" ? "card" : "cash");
  }

  // --- phone by QR code -------------------------------------------------------------------------
  // The register's WebSocket: the server pushes payment.confirmed (no polling). On every
  // (re)connect it also sends {"type": "sync", "links": [...]}, the state of the session's
  // recent links, so a push missed while disconnected is caught up.
  const socket = {
    ws: null,
    retry: 0,
    timer: null,
    connect() {
      if (!config.ws_url || (this.ws && this.ws.readyState <= 1)) return;
      const url = /^wss?:/.test(config.ws_url)
        ? config.ws_url
        : (location.protocol === "https:" ? "wss://" : "ws://") + location.host + config.ws_url;
      let ws;
      try {
        ws = new WebSocket(url);
      } catch (e) {
        return;
      }
      this.ws = ws;
      ws.addEventListener("open", () => {
        this.retry = 0;
        root.dataset.ws = "open";
      });
      ws.addEventListener("message", (event) => {
        let data;
        try {
          data = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        onPush(data);
      });
      ws.addEventListener("close", (event) => {
        root.dataset.ws = "closed";
        this.ws = null;
        // 4401/4403: not signed in / not allowed — retrying will not help.
        if (event.code === 4401 || event.code === 4403) return;
        if (!pay.link) return; // reconnect only while a payment waits
        this.retry += 1;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.connect(), Math.min(10000, 500 * 2 ** this.retry));
      });
    },
  };
  T.socket = socket;

  function onPush(data) {
    if (data && data.type === "sync" && Array.isArray(data.links)) {
      const mine = pay.link && data.links.find((l) => String(l.link || l.id) === String(pay.link.id));
      if (!mine) return;
      if (mine.status === "paid") linkPaid();
      else if (mine.status === "cancelled" || mine.status === "expired")
        linkGone(_("The QR payment is no longer valid."));
      return;
    }
    if (!pay.link || String(data.link) !== String(pay.link.id)) return;
    if (data.type === "payment.confirmed") linkPaid();
    else if (data.type === "payment.cancelled" || data.type === "payment.expired") {
      linkGone(data.type === "payment.expired" ? _("The QR code expired.") : _("The QR payment was cancelled."));
    }
  }

  async function checkLink() {
    if (!pay.link) return;
    try {
      const data = await T.request(linkUrl(pay.link.id));
      if (data && data.status === "paid") linkPaid();
      else if (data && (data.status === "cancelled" || data.status === "expired"))
        linkGone(_("The QR payment is no longer valid."));
    } catch (e) {
      /* the push will come */
    }
  }

  function linkUrl(id, suffix) {
    const base = config.api.payment_links.replace(/\/?$/, "/");
    return base + id + "/" + (suffix || "");
  }

  async function startPhone() {
    if (!T.isOnline()) return setError(_("Phone payment needs the network. Take cash or card."));
    const b = pay.basket;
    const amount = remaining();
    setError("");
    $("#pay-phone-start").disabled = true;
    socket.connect();
    let link;
    try {
      link = await T.request(config.api.payment_links, {
        method: "POST",
        body: {
          register: config.register,
          session: config.session,
          amount: money.str(amount),
          sale_client_uuid: b.client_uuid,
          client_uuid: T.uuid(),
          lines: b.lines
            .map((l) => ({ name: l.name, quantity: qty.str(l.qty), total: money.str(T.lineTotal(l)) }))
            .concat(b.withdrawal ? [{ name: _("Cash withdrawal"), quantity: "1", total: money.str(b.withdrawal) }] : []),
        },
      });
    } catch (err) {
      $("#pay-phone-start").disabled = false;
      return setError(err.message);
    }
    pay.link = { id: link.id, amount, url: link.url };
    root.dataset.paymentLink = link.id;
    const qr = $("#pay-qr");
    qr.replaceChildren();
    if (link.qr_svg) {
      qr.append(
        el("img", {
          src: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(link.qr_svg),
          alt: _("QR code to pay by phone"),
          class: "pay-qr-image",
        })
      );
    }
    if (link.url) qr.append(el("a", { href: link.url, class: "pay-link", target: "_blank", rel: "noopener", text: link.url }));
    $("#pay-phone-amount").textContent = money.format(amount);
    const status = $("#pay-phone-status");
    status.className = "pay-phone-status waiting";
    status.textContent = _("Waiting for the customer's payment…");
    $("#pay-phone-cancel").hidden = false;
    render();
  }
  $("#pay-phone-start").addEventListener("click", startPhone);

  async function cancelPhone() {
    if (!pay.link) return;
    try {
      await T.request(linkUrl(pay.link.id, "cancel/"), { method: "POST", body: {} });
    } catch (err) {
      if (err.network) return setError(err.message);
      // Already paid in the meantime: the push (or the status) will tell.
      if (err.status === 409) return checkLink();
    }
    linkGone(_("The QR payment was cancelled."));
  }
  $("#pay-phone-cancel").addEventListener("click", cancelPhone);

  function linkGone(message) {
    pay.link = null;
    delete root.dataset.paymentLink;
    $("#pay-qr").replaceChildren();
    $("#pay-phone-cancel").hidden = true;
    const status = $("#pay-phone-status");
    status.className = "pay-phone-status";
    status.textContent = message;
    render();
  }

  function linkPaid() {
    const link = pay.link;
    if (!link) return;
    pay.link = null;
    delete root.dataset.paymentLink;
    pay.basket.payments.push({ method: "phone", amount: link.amount, payment_link: link.id });
    T.changed();
    $("#pay-phone-cancel").hidden = true;
    const status = $("#pay-phone-status");
    status.className = "pay-phone-status accepted";
    status.replaceChildren(T.icon("check-circle-fill"), " ", _("Payment accepted"));
    panel.classList.add("accepted");
    render();
    // Let the cashier see it, then finish (or carry on with the rest).
    setTimeout(() => {
      panel.classList.remove("accepted");
      if (remaining() === 0) complete();
      else choose("cash");
    }, 900);
  }

  // --- complete the sale ------------------------------------------------------------------------
  function payload(b) {
    const lines = b.lines.map((l) => {
      const line = { product: l.product, quantity: qty.str(l.qty) };
      if (l.discount) line.discount = money.str(l.discount);
      return line;
    });
    if (b.withdrawal) lines.push({ kind: "withdrawal", amount: money.str(b.withdrawal) });
    return {
      client_uuid: b.client_uuid,
      register: config.register,
      session: config.session,
      basket: b.key,
      sold_at: new Date().toISOString(),
      offline: !T.isOnline(),
      // The customer found at the register (till-customer.js); sent offline too.
      customer: b.customer ? b.customer.id : null,
      lines,
      payments: b.payments.map((p) => {
        // Points: the server works out their value from the programme's point value.
        if (p.method === "points") return { method: "points", points: p.points };
        const out = { method: p.method, amount: money.str(p.amount) };
        if (p.method === "cash") out.tendered = money.str(p.tendered);
        if (p.reference) out.reference = p.reference;
        if (p.payment_link) out.payment_link = p.payment_link;
        return out;
      }),
    };
  }

  async function complete() {
    if (pay.completing) return;
    if (!T.isOnline() && pay.basket.payments.some((p) => p.method === "points"))
      return setError(_("Offline: points cannot be used now (the balance cannot be checked). Take cash or card."));
    pay.completing = true;
    receiptPanel.dataset.state = "saving";
    const b = pay.basket;
    const data = payload(b);
    const change = b.payments.reduce((s, p) => s + (p.tendered ? p.tendered - p.amount : 0), 0);
    const display = {
      total: pay.total,
      paid: b.payments.reduce((s, p) => s + (p.tendered || p.amount), 0),
      change,
      basket: b.key,
    };
    let entry;
    try {
      entry = await T.outbox.add(data, display); // on disk before anything is sent
    } catch (err) {
      pay.completing = false;
      delete receiptPanel.dataset.state;
      return setError(fmt(_("This register could not save the sale: %(error)s"), { error: err.message }));
    }
    // The sale is safe on this register: the basket starts afresh at once (nothing can
    // be added to a recorded sale). "New sale" waits for the server's first answer.
    T.resetBasket(b.key);
    T.closePanel(panel);
    receipt.show(entry);
    const online = T.isOnline();
    const result = await T.outbox.send(entry.client_uuid, { timeout: online ? 12000 : 400 });
    pay.completing = false;
    $("#receipt-next").disabled = false;
    if (result.state === "rejected") {
      // Nothing was written on the server: give the basket back to fix it. A paid phone
      // payment stays on it (the customer paid); cash and card are taken again.
      await T.outbox.dismiss(entry.client_uuid);
      b.payments = b.payments.filter((p) => p.method === "phone");
      T.restoreBasket(b);
      receipt.hide();
      T.say(fmt(_("The sale was refused: %(message)s"), { message: result.error }), "danger", 15000);
      return;
    }
    if (result.state === "sent") receipt.sent(entry.client_uuid, result.sale);
    else receipt.queued(entry.client_uuid);
  }

  // --- open / close ----------------------------------------------------------------------------
  pay.open = function (b, { name, total }) {
    pay.basket = b;
    pay.total = total;
    pay.link = null;
    pay.method = "cash";
    $("#pay-basket-name").textContent = name;
    T.openPanel(panel);
    if (remaining() === 0) return complete();
    choose("cash");
  };
  pay.close = function () {
    if (pay.link) return setError(_("Cancel the QR payment first."));
    if (pay.completing) return;
    T.closePanel(panel);
  };
  pay.isOpen = () => !panel.hidden;
  pay.busy = () => !!pay.link || pay.completing;
  T.pay = pay;
  T.on("online", () => {
    if (pay.isOpen()) render();
  });

  // ============================================================================================
  // The ticket after a sale
  // ============================================================================================
  const receiptPanel = $("#receipt-panel");
  const receipt = { uuid: null, sale: null };

  function saleUrl(pattern, id) {
    return String(pattern || "").replace(
      /0{8}-0{4}-0{4}-0{4}-0{12}|\{id\}|%7Bid%7D|__id__|\/0\//,
      (m) => (m === "/0/" ? `/${id}/` : id)
    );
  }
  function ticketUrl(kind, id) {
    const u = config.urls;
    const pdf = u.ticket_pdf_pattern || "";
    if (kind === "pdf") return saleUrl(pdf, id);
    const own = kind === "print" ? u.ticket_print_pattern : u.ticket_email_pattern;
    return saleUrl(own || pdf.replace(/ticket\.pdf$/, kind + "/"), id);
  }

  function setReceiptFigures(total, paidAmount, change) {
    $("#receipt-total").textContent = money.format(total);
    $("#receipt-paid").textContent = money.format(paidAmount);
    $("#receipt-change").textContent = money.format(change);
    receiptPanel.classList.toggle("has-change", change > 0);
  }

  receipt.show = function (entry) {
    receipt.uuid = entry.client_uuid;
    receipt.sale = null;
    const d = entry.display;
    $("#receipt-number").textContent = "…";
    $("#receipt-provisional").hidden = true;
    $("#receipt-status").textContent = _("Sending…");
    $("#receipt-email-form").hidden = true;
    setReceiptFigures(d.total, d.paid, d.change);
    receiptPanel.dataset.state = "sending";
    receiptPanel.dataset.clientUuid = entry.client_uuid;
    setTicketButtons(false);
    $("#receipt-next").disabled = true;
    T.openPanel(receiptPanel, $("#receipt-next"));
  };
  receipt.sent = function (uuid, sale) {
    if (receipt.uuid !== uuid) return;
    receipt.sale = sale;
    $("#receipt-number").textContent = sale.ticket;
    $("#receipt-provisional").hidden = true;
    $("#receipt-status").textContent = "";
    const total = money.parse(sale.total);
    const change = money.parse(sale.change_given);
    if (!isNaN(total)) {
      const shownChange = isNaN(change) ? money.parse($("#receipt-change").textContent) : change;
      setReceiptFigures(total, total + shownChange, shownChange);
    }
    receiptPanel.dataset.state = "sent";
    receiptPanel.dataset.saleId = sale.id;
    setTicketButtons(true);
  };
  receipt.queued = function (uuid) {
    if (receipt.uuid !== uuid) return;
    $("#receipt-number").textContent = T.provisionalNumber(uuid);
    $("#receipt-provisional").hidden = false;
    $("#receipt-status").textContent = "";
    receiptPanel.dataset.state = "queued";
    setTicketButtons(false);
  };
  T.on("sent", (record) => receipt.sent(record.client_uuid, record.sale));

  function setTicketButtons(enabled) {
    ["#receipt-print", "#receipt-pdf", "#receipt-email"].forEach((sel) => {
      const b = $(sel);
      b.disabled = !enabled;
      b.title = enabled ? "" : _("Available once the sale reaches the server.");
    });
  }

  $("#receipt-pdf").addEventListener("click", () => {
    if (receipt.sale) window.open(ticketUrl("pdf", receipt.sale.id), "_blank", "noopener");
  });
  $("#receipt-print").addEventListener("click", async () => {
    if (!receipt.sale) return;
    const status = $("#receipt-status");
    status.textContent = _("Printing…");
    try {
      await T.request(ticketUrl("print", receipt.sale.id), { method: "POST", form: {} });
      status.textContent = _("Sent to the printer.");
    } catch (err) {
      status.textContent = err.message;
    }
  });
  $("#receipt-email").addEventListener("click", () => {
    const form = $("#receipt-email-form");
    form.hidden = !form.hidden;
    if (!form.hidden) $("#receipt-email-input").focus();
  });
  $("#receipt-email-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!receipt.sale) return;
    const email = $("#receipt-email-input").value.trim();
    const status = $("#receipt-status");
    status.textContent = _("Sending the email…");
    try {
      await T.request(ticketUrl("email", receipt.sale.id), { method: "POST", form: { email } });
      status.textContent = fmt(_("Ticket emailed to %(email)s."), { email });
      $("#receipt-email-form").hidden = true;
    } catch (err) {
      status.textContent = err.message;
    }
  });

  receipt.next = function () {
    if (!pay.completing) receipt.hide();
  };
  receipt.hide = function () {
    receipt.uuid = null;
    T.closePanel(receiptPanel);
  };
  receipt.closeIfOpen = function () {
    if (!receiptPanel.hidden && !pay.completing) receipt.hide();
  };
  $("#receipt-next").addEventListener("click", receipt.next);
  T.receipt = receipt;
})();
