// The till, part 1: configuration, translations, money, ids and HTTP helpers.
// Classic scripts sharing one namespace (window.HanoutTill), loaded with `defer`
// in order by till.html: each file is a plain static file that the manifest
// storage can hash, and no inline script is needed (CSP).
(function () {
  "use strict";

  const T = (window.HanoutTill = window.HanoutTill || {});

  // --- configuration (rendered by the page with json_script) ------------------------------
  const configNode = document.getElementById("till-config");
  const config = configNode ? JSON.parse(configNode.textContent) : {};
  config.api = config.api || {};
  config.urls = config.urls || {};
  T.config = config;

  // --- translations: Django's JavaScriptCatalog (/jsi18n/) defines gettext & co -------------
  const gt = typeof window.gettext === "function" ? window.gettext : (s) => s;
  const ngt =
    typeof window.ngettext === "function"
      ? window.ngettext
      : (one, many, n) => (n === 1 ? one : many);
  const pgt =
    typeof window.pgettext === "function" ? window.pgettext : (context, s) => s;
  T._ = gt;
  T.p_ = pgt;
  const _ = gt;
  T.n_ = ngt;
  // "No product with code %(code)s" + {code: "123"}
  T.fmt = function (template, values) {
    return String(template).replace(/%\((\w+)\)s/g, (m, key) =>
      values && key in values ? String(values[key]) : m
    );
  };

  // --- money: integers of the currency's minor unit, never floats in sums ------------------
  const places = Number.isInteger(config.decimal_places) ? config.decimal_places : 2;
  const scale = Math.pow(10, places);

  function intlLocale() {
    let loc = String(config.locale || document.documentElement.lang || "en").replace("_", "-");
    // Maghreb shops write amounts with Latin digits.
    if (/^ar\b/.test(loc) && loc.indexOf("-u-") < 0) loc += "-u-nu-latn";
    return loc;
  }
  let currencyFormat;
  let numberFormat;
  try {
    currencyFormat = new Intl.NumberFormat(intlLocale(), {
      style: "currency",
      currency: config.currency || "EUR",
      minimumFractionDigits: places,
      maximumFractionDigits: places,
    });
    numberFormat = new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 3 });
  } catch (e) {
    currencyFormat = new Intl.NumberFormat("en", {
      style: "currency",
      currency: config.currency || "EUR",
    });
    numberFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 3 });
  }

  // Parse "12", "12.5", "12,50" (a typed or server amount) into minor units; NaN if not a number.
  function parseDecimal(text, digits) {
    const s = String(text == null ? "" : text).trim().replace(",", ".");
    const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
    if (!m || (m[2] === "" && (m[3] === undefined || m[3] === ""))) return NaN;
    const frac = (m[3] || "").padEnd(digits + 1, "0");
    let units = Number(m[2] || "0") * Math.pow(10, digits) + Number(frac.slice(0, digits) || "0");
    if (Number(frac[digits]) >= 5) units += 1; // half up
    return m[1] ? -units : units;
  }

  const money = {
    places: places,
    parse: (text) => parseDecimal(text, places),
    // minor units → "18.70" (what the API takes)
    str(minor) {
      const neg = minor < 0;
      const abs = Math.abs(Math.round(minor));
      const whole = Math.floor(abs / scale);
      const frac = places ? "." + String(abs % scale).padStart(places, "0") : "";
      return (neg ? "-" : "") + whole + frac;
    },
    // minor units → "€18.70" / "18,70 €" / "18.70 د.م." for people
    format(minor) {
      return currencyFormat.format(Math.round(minor) / scale);
    },
    // price (minor) × quantity (in thousandths) rounded half up to the minor unit
    times(priceMinor, qtyMilli) {
      const raw = priceMinor * qtyMilli;
      return Math.sign(raw) * Math.floor((Math.abs(raw) + 500) / 1000);
    },
  };
  T.money = money;

  // Quantities: kept in thousandths (3 decimals, like the server).
  T.qty = {
    parse: (text) => parseDecimal(text, 3),
    str(milli) {
      const whole = Math.floor(milli / 1000);
      const frac = milli % 1000;
      return frac ? whole + "." + String(frac).padStart(3, "0").replace(/0+$/, "") : String(whole);
    },
    format: (milli) => numberFormat.format(milli / 1000),
  };

  // --- ids ------------------------------------------------------------------------------------
  T.uuid = function () {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16)); // also outside secure contexts
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  // The number an offline ticket carries until the server gives it its own.
  T.provisionalNumber = (clientUuid) => "OFF-" + clientUuid.replace(/-/g, "").slice(0, 8).toUpperCase();

  // --- tiny event bus -------------------------------------------------------------------------
  const listeners = {};
  T.on = (name, fn) => (listeners[name] = listeners[name] || []).push(fn);
  T.emit = (name, detail) => (listeners[name] || []).forEach((fn) => fn(detail));

  // --- HTTP -----------------------------------------------------------------------------------
  function cookie(name) {
    const found = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }
  T.csrfToken = function () {
    const root = document.getElementById("till");
    return cookie("csrftoken") || (root && root.dataset.csrf) || "";
  };

  // A failed request: `network` (no answer at all), else the HTTP status and the
  // server's message ({"error": {"message"}} on every API 4xx).
  class HttpError extends Error {
    constructor(message, { status = 0, network = false, body = null } = {}) {
      super(message);
      this.status = status;
      this.network = network;
      this.body = body;
    }
  }
  T.HttpError = HttpError;

  T.request = async function (url, { method = "GET", body, timeout = 15000, form } = {}) {
    const headers = { Accept: "application/json" };
    let payload;
    if (form) {
      payload = new URLSearchParams(form);
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    if (method !== "GET") headers[config.csrf_header || "X-CSRFToken"] = T.csrfToken();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: payload,
        credentials: "same-origin",
        cache: "no-store",
        signal: controller.signal,
      });
    } catch (err) {
      T.emit("network", { ok: false });
      throw new HttpError(_("The server cannot be reached."), { network: true });
    } finally {
      clearTimeout(timer);
    }
    T.emit("network", { ok: response.status < 500 });
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await response.json().catch(() => null) : null;
    if (!response.ok) {
      const message =
        (data && data.error && data.error.message) ||
        (data && data.detail) ||
        T.fmt(_("The server answered %(status)s."), { status: response.status });
      throw new HttpError(message, { status: response.status, body: data });
    }
    // Sent to a sign-in page instead of an answer: the session ended.
    if (!type.includes("json") && response.redirected && /login|sign-?in/.test(response.url)) {
      throw new HttpError(_("Please sign in again."), { status: 401 });
    }
    return data;
  };

  // --- little DOM helpers -------------------------------------------------------------------
  T.$ = (sel, root) => (root || document).querySelector(sel);
  T.$$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  T.el = function (tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  };
  T.icon = (name) => T.el("i", { class: "bi bi-" + name, "aria-hidden": "true" });

  // Fold case and accents: "Café" and "cafe" match.
  T.fold = (s) =>
    String(s || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
})();
