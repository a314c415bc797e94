// The chat page, part 1: configuration, translations, HTTP (JSON and uploads with progress),
// formatting and the WebSocket with its reconnection. Classic scripts sharing one namespace
// (window.HanoutChat), loaded with `defer` in order by chat/page.html: no inline script (CSP).
// The protocol is docs/chat-protocol.md.
(function () {
  "use strict";

  const C = (window.HanoutChat = window.HanoutChat || {});

  // --- configuration (rendered by the page with json_script) ---------------------------------
  const configNode = document.getElementById("chat-config");
  const config = configNode ? JSON.parse(configNode.textContent) : {};
  C.config = config;
  C.root = document.getElementById("chat");

  // --- translations: Django's JavaScriptCatalog (/jsi18n/) defines gettext & co --------------
  const gt = typeof window.gettext === "function" ? window.gettext : (s) => s;
  const ngt =
    typeof window.ngettext === "function"
      ? window.ngettext
      : (one, many, n) => (n === 1 ? one : many);
  C._ = gt;
  C.n_ = ngt;
  // "%(name)s is typing…" + {name: "Awa"}
  // The direction of a message: its first letter once @mentions are set aside, so
  // "@Youssef مفهوم" reads right to left and "@Salma OK" left to right.
  const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
  const LETTER = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u2D30-\u2D7F]/;
  C.direction = function (text) {
    for (const ch of String(text || "").replace(/@\S+/g, "")) {
      if (RTL.test(ch)) return "rtl";
      if (LETTER.test(ch)) return "ltr";
    }
    return "auto";
  };
  C.fmt = function (template, values) {
    return String(template).replace(/%\((\w+)\)s/g, (m, key) =>
      values && key in values ? String(values[key]) : m
    );
  };
  const _ = gt;

  // --- small helpers ----------------------------------------------------------------------------
  C.$ = (sel, root) => (root || document).querySelector(sel);
  C.$$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  // Elements are built with textContent only: nothing a person typed is ever parsed as HTML.
  C.el = function (tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  };
  C.icon = (name, extra) => C.el("i", { class: `bi bi-${name}${extra ? " " + extra : ""}`, "aria-hidden": "true" });

  // A UUID for client_id; crypto.randomUUID needs a secure context (a shop's LAN address is not).
  C.uuid = function () {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  // What search and @-completion compare: lower case, no accents (like the server's fold()).
  C.fold = (text) =>
    String(text || "")
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase();

  // --- formatting -------------------------------------------------------------------------------
  function locale() {
    let loc = String(document.documentElement.lang || "en").replace("_", "-");
    if (loc === "zgh") loc = "zgh-MA";
    if (/^ar\b/.test(loc)) loc += "-u-nu-latn"; // Maghreb shops write Latin digits
    return loc;
  }
  function safeFormat(make, fallback) {
    try {
      return make(locale());
    } catch (e) {
      return make(fallback || "en");
    }
  }
  // In the shop's time zone, as the other pages show times (the computer may be set otherwise).
  let zone = config.time_zone || undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
  } catch (e) {
    zone = undefined; // an unknown zone: the computer's
  }
  const timeFormat = safeFormat((l) => new Intl.DateTimeFormat(l, { hour: "2-digit", minute: "2-digit", timeZone: zone }));
  const dayFormat = safeFormat((l) => new Intl.DateTimeFormat(l, { weekday: "long", day: "numeric", month: "long", timeZone: zone }));
  const shortFormat = safeFormat((l) => new Intl.DateTimeFormat(l, { day: "numeric", month: "short", timeZone: zone }));
  const fullFormat = safeFormat((l) => new Intl.DateTimeFormat(l, { dateStyle: "medium", timeStyle: "short", timeZone: zone }));
  const dayKey = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: zone });
  const relative = safeFormat((l) => new Intl.RelativeTimeFormat(l, { numeric: "auto" }));
  const numbers = safeFormat((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 1 }));

  // the same calendar day in the shop's zone
  const sameDay = (a, b) => dayKey.format(a) === dayKey.format(b);
  C.sameDay = sameDay;
  C.time = (iso) => timeFormat.format(new Date(iso));
  C.fullTime = (iso) => fullFormat.format(new Date(iso));
  // "Today", "Yesterday" or "Monday 3 March": the separators between days of history.
  C.day = function (iso) {
    const d = new Date(iso);
    const now = new Date();
    if (sameDay(d, now)) return _("Today");
    const y = new Date(now.getTime() - 24 * 3600 * 1000);
    if (sameDay(d, y)) return _("Yesterday");
    return dayFormat.format(d);
  };
  // The conversation list: the time today, else the date.
  C.when = (iso) => (sameDay(new Date(iso), new Date()) ? C.time(iso) : shortFormat.format(new Date(iso)));
  // "5 minutes ago", "yesterday" …
  C.ago = function (iso) {
    if (!iso) return "";
    const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
    const steps = [
      [60, "second"],
      [3600, "minute", 60],
      [86400, "hour", 3600],
      [86400 * 30, "day", 86400],
    ];
    if (Math.abs(seconds) < 60) return _("just now");
    for (const [limit, unit, div] of steps.slice(1)) {
      if (Math.abs(seconds) < limit) return relative.format(Math.round(seconds / div), unit);
    }
    return shortFormat.format(new Date(iso));
  };
  C.size = function (bytes) {
    if (bytes < 1024) return C.fmt(_("%(n)s B"), { n: numbers.format(bytes) });
    if (bytes < 1024 * 1024) return C.fmt(_("%(n)s KB"), { n: numbers.format(bytes / 1024) });
    return C.fmt(_("%(n)s MB"), { n: numbers.format(bytes / (1024 * 1024)) });
  };
  C.duration = function (ms) {
    const s = Math.max(0, Math.round((ms || 0) / 1000));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };

  // --- HTTP -------------------------------------------------------------------------------------
  // A failed request: `network` (no answer at all, or no answer in time), else the status and
  // the server's message and fields ({"error": {"code", "message", "fields"}} on every 4xx).
  class HttpError extends Error {
    constructor(message, { status = 0, network = false, code = "", fields = {} } = {}) {
      super(message);
      this.status = status;
      this.network = network;
      this.code = code;
      this.fields = fields || {};
    }
  }
  C.HttpError = HttpError;

  function cookie(name) {
    const found = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }
  C.csrf = () => cookie("csrftoken") || (C.root && C.root.dataset.csrf) || "";

  function failure(status, data) {
    const error = data && data.error;
    const message =
      (error && error.message) ||
      (data && data.detail) ||
      C.fmt(_("The server answered %(status)s."), { status });
    return new HttpError(message, {
      status,
      code: (error && error.code) || "",
      fields: (error && error.fields) || {},
    });
  }

  C.api = function (path) {
    return /^\//.test(path) ? path : config.api + path;
  };

  C.request = async function (path, { method = "GET", body, timeout = 15000 } = {}) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-CSRFToken"] = C.csrf();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    let response;
    try {
      response = await fetch(C.api(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
        signal: controller.signal,
      });
    } catch (err) {
      throw new HttpError(_("The server cannot be reached."), { network: true });
    } finally {
      clearTimeout(timer);
    }
    if (response.status === 204) return null;
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await response.json().catch(() => null) : null;
    if (!response.ok) throw failure(response.status, data);
    if (!type.includes("json")) throw new HttpError(_("Please sign in again."), { status: 401 });
    return data;
  };

  // A multipart upload with progress (fetch cannot report upload progress): resolves with the
  // message, rejects with an HttpError. `onProgress(fraction)`.
  C.upload = function (path, form, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", C.api(path));
      xhr.setRequestHeader("X-CSRFToken", C.csrf());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.responseType = "json";
      xhr.timeout = 10 * 60 * 1000;
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
      });
      xhr.addEventListener("load", () => {
        if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response);
        else if (xhr.status === 413)
          reject(new HttpError(_("This file is too big to send."), { status: 413 }));
        else reject(failure(xhr.status, xhr.response));
      });
      const lost = () => reject(new HttpError(_("The server cannot be reached."), { network: true }));
      xhr.addEventListener("error", lost);
      xhr.addEventListener("timeout", lost);
      xhr.send(form);
    });
  };

  // --- events between the page's parts ------------------------------------------------------------
  const listeners = {};
  C.on = (name, fn) => (listeners[name] = listeners[name] || []).push(fn);
  C.emit = (name, data) => (listeners[name] || []).forEach((fn) => fn(data));

  // --- the WebSocket ------------------------------------------------------------------------------
  // Reconnects after 1, 2, 5, then every 10 s, except when the server closed with 44xx (signed
  // out, no access to the Chat module): retrying would not help. Every frame is emitted as
  // "ws:<type>"; `ready` starts the catch-up (chat.js).
  const BACKOFF = [1000, 2000, 5000, 10000];
  const socket = {
    ws: null,
    attempt: 0,
    timer: null,
    paused: false,
    state: "connecting",
    connect() {
      if (this.paused || (this.ws && this.ws.readyState <= 1)) return;
      clearTimeout(this.timer);
      const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + config.ws;
      let ws;
      try {
        ws = new WebSocket(url);
      } catch (e) {
        this.retry();
        return;
      }
      this.ws = ws;
      this.setState("connecting");
      ws.addEventListener("message", (event) => {
        let data;
        try {
          data = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        if (!data || typeof data.type !== "string") return;
        if (data.type === "ready") {
          this.attempt = 0;
          this.setState("open");
        }
        C.emit("ws:" + data.type, data);
      });
      ws.addEventListener("close", (event) => {
        if (this.ws !== ws) return;
        this.ws = null;
        if (event.code >= 4400 && event.code < 4500) {
          this.setState(event.code === 4401 ? "signed-out" : "forbidden");
          return;
        }
        this.retry();
      });
    },
    retry() {
      if (this.paused) {
        this.setState("closed");
        return;
      }
      const wait = BACKOFF[Math.min(this.attempt, BACKOFF.length - 1)];
      this.attempt += 1;
      this.setState("waiting", wait);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.connect(), wait);
    },
    send(data) {
      if (this.ws && this.ws.readyState === 1 && this.state === "open") {
        this.ws.send(JSON.stringify(data));
        return true;
      }
      return false;
    },
    setState(state, wait) {
      this.state = state;
      if (C.root) C.root.dataset.ws = state;
      C.emit("socket", { state, wait });
    },
    // The connection drops as a network failure would (the page reconnects by itself).
    drop() {
      if (this.ws) this.ws.close(4000);
    },
    // Tests and "work offline": close and stay closed until resume().
    pause() {
      this.paused = true;
      clearTimeout(this.timer);
      if (this.ws) this.ws.close(4000);
      else this.setState("closed");
    },
    resume() {
      this.paused = false;
      this.attempt = 0;
      this.connect();
    },
  };
  C.socket = socket;
})();
