// The till, part 2: what lives in IndexedDB (Dexie) — the catalog cache and the
// outbox of completed sales — and the sender that drains the outbox.
//
// Exactly once: a sale is written to the outbox with its client_uuid BEFORE the
// first POST. The server keeps one sale per client_uuid (a retry answers 200 with
// the first sale), so the sender may retry freely. An entry leaves the outbox only
// on a 2xx (moved to the journal, with the server's number) or on a final 4xx
// (kept as "rejected", shown to the manager). Network errors, timeouts and 5xx
// are retried with backoff, and at once when the browser says it is back online.
(function () {
  "use strict";

  const T = window.HanoutTill;
  const config = T.config;

  const db = new Dexie("hanout-till");
  db.version(1).stores({
    products: "id, sku, *barcodes, category, rank",
    categories: "id, parent",
    meta: "key",
    outbox: "client_uuid, status, created_at",
    journal: "client_uuid, sent_at",
  });
  T.db = db;

  // ============================================================================================
  // Connectivity: the browser's flag, corrected by what our own requests see.
  // ============================================================================================
  const net = { browser: navigator.onLine, server: true, probeTimer: null };
  T.isOnline = () => net.browser && net.server;

  function changed() {
    T.emit("online", T.isOnline());
  }
  function probeSoon(delay) {
    clearTimeout(net.probeTimer);
    net.probeTimer = setTimeout(probe, delay);
  }
  async function probe() {
    if (!net.browser) return;
    try {
      const r = await fetch(config.urls.health || "/healthz", { cache: "no-store" });
      if (r.ok) {
        if (!net.server) {
          net.server = true;
          changed();
          outbox.drain({ now: true });
        }
        return;
      }
    } catch (e) {
      /* still down */
    }
    probeSoon(5000);
  }
  T.on("network", ({ ok }) => {
    if (ok && !net.server) {
      net.server = true;
      changed();
    } else if (!ok && net.server) {
      net.server = false;
      changed();
      probeSoon(3000);
    }
  });
  window.addEventListener("online", () => {
    net.browser = true;
    changed();
    probe().then(() => outbox.drain({ now: true }));
  });
  window.addEventListener("offline", () => {
    net.browser = false;
    changed();
  });

  // ============================================================================================
  // Catalog: IndexedDB for persistence, memory maps for speed (5,000 products is small).
  // ============================================================================================
  const catalog = {
    products: [], // in rank order (most sold first)
    byId: new Map(),
    byCode: new Map(), // barcode or SKU → product
    categories: [],
    meta: null,
  };
  T.catalog = catalog;

  function thumbnailFor(id) {
    const pattern = document.getElementById("till").dataset.thumbnailPattern || "";
    return pattern ? pattern.replace("00000000-0000-0000-0000-000000000000", id) : null;
  }

  function normalise(p, rank) {
    return {
      id: String(p.id),
      name: p.name,
      sku: p.sku || "",
      barcodes: (p.barcodes || []).map((b) => (typeof b === "string" ? b : b.code)),
      price: T.money.parse(p.price !== undefined ? p.price : p.sale_price),
      tax_rate: String(p.tax_rate || "0"),
      unit: p.unit || "piece",
      category: p.category ? String(p.category) : null,
      // The catalog feed gives the till's thumbnail URL; the product API a media URL,
      // which the register reads through the same (signed-in, cached) thumbnail view.
      thumbnail: p.thumbnail ? (p.sale_price !== undefined ? thumbnailFor(p.id) : p.thumbnail) : null,
      active: p.is_active !== false,
      rank: rank,
      key: T.fold(p.name + " " + (p.sku || "")),
    };
  }

  function index(products, categories) {
    catalog.products = products.slice().sort((a, b) => a.rank - b.rank);
    catalog.byId = new Map(products.map((p) => [p.id, p]));
    catalog.byCode = new Map();
    for (const p of catalog.products) {
      if (p.sku) catalog.byCode.set(p.sku, p);
      for (const code of p.barcodes) catalog.byCode.set(code, p); // a barcode wins over a SKU
    }
    if (categories) catalog.categories = categories;
  }

  catalog.loadLocal = async function () {
    const [products, categories, meta] = await Promise.all([
      db.products.toArray(),
      db.categories.toArray(),
      db.meta.get("catalog"),
    ]);
    catalog.meta = meta || null;
    index(products, categories.sort((a, b) => a.order - b.order));
    T.emit("catalog", catalog);
    return products.length;
  };

  catalog.refresh = async function () {
    if (!config.api.catalog) return false;
    const data = await T.request(config.api.catalog, { timeout: 30000 });
    const products = data.products.map((p, i) => normalise(p, i));
    const categories = data.categories.map((c, i) => Object.assign({ order: i }, c));
    const meta = {
      key: "catalog",
      generated_at: data.generated_at,
      truncated: data.truncated,
      count: data.count,
      register: config.register,
      loaded_at: new Date().toISOString(),
    };
    await db.transaction("rw", db.products, db.categories, db.meta, async () => {
      await db.products.clear();
      await db.products.bulkPut(products);
      await db.categories.clear();
      await db.categories.bulkPut(categories);
      await db.meta.put(meta);
    });
    catalog.meta = meta;
    index(products, categories);
    T.emit("catalog", catalog);
    return true;
  };

  // Barcode or article number → product. The cache first; on a miss, the server when
  // online (the answer is kept for next time). Returns null when nobody knows the code.
  catalog.lookup = async function (code) {
    code = String(code || "").replace(/\s+/g, "");
    if (!code) return null;
    const local = catalog.byCode.get(code);
    if (local) return local;
    if (!T.isOnline() || !config.api.lookup) return null;
    try {
      const sep = config.api.lookup.includes("?") ? "&" : "?";
      const data = await T.request(config.api.lookup + sep + "code=" + encodeURIComponent(code), {
        timeout: 8000,
      });
      if (!data) return null;
      const p = normalise(data, catalog.products.length + 1_000_000);
      if (!p.active) return p;
      remember(p);
      return p;
    } catch (err) {
      if (err.status === 404) return null;
      throw err;
    }
  };

  function remember(p) {
    const old = catalog.byId.get(p.id);
    if (old) p.rank = old.rank;
    catalog.byId.set(p.id, p);
    if (!old) catalog.products.push(p);
    else catalog.products[catalog.products.indexOf(old)] = p;
    if (p.sku) catalog.byCode.set(p.sku, p);
    p.barcodes.forEach((c) => catalog.byCode.set(c, p));
    db.products.put(p).catch(() => {});
  }

  // Name, SKU or barcode, accent-insensitive; at most `limit` results, best sellers first.
  catalog.search = function (query, limit) {
    const q = T.fold(query).trim();
    if (!q) return [];
    const words = q.split(/\s+/);
    const out = [];
    const exact = catalog.byCode.get(query.trim());
    if (exact) out.push(exact);
    for (const p of catalog.products) {
      if (out.length >= limit) break;
      if (p === exact || !p.active) continue;
      if (words.every((w) => p.key.includes(w))) out.push(p);
    }
    return out;
  };

  // Beyond the cache (a truncated catalog), ask the server's search while online.
  catalog.searchServer = async function (query) {
    if (!T.isOnline() || !config.api.search) return [];
    const sep = config.api.search.includes("?") ? "&" : "?";
    const data = await T.request(config.api.search + sep + "search=" + encodeURIComponent(query), {
      timeout: 8000,
    });
    const rows = (data && (data.results || data)) || [];
    return rows
      .filter((r) => r.is_active !== false)
      .map((r) => {
        const p = normalise(r, catalog.products.length + 1_000_000);
        remember(p);
        return p;
      });
  };

  catalog.inCategory = function (categoryId) {
    if (!categoryId) return catalog.products.filter((p) => p.active);
    const ids = new Set([categoryId]);
    // The tree is at most three levels deep: two passes find every descendant.
    for (let i = 0; i < 2; i++)
      catalog.categories.forEach((c) => c.parent && ids.has(c.parent) && ids.add(c.id));
    return catalog.products.filter((p) => p.active && ids.has(p.category));
  };

  // ============================================================================================
  // Outbox: completed sales waiting for the server.
  // ============================================================================================
  const outbox = {
    draining: false,
    timer: null,
    waiters: new Map(), // client_uuid → resolve(result)
    blocked: "", // why the sender waits although online (e.g. signed out)
  };
  T.outbox = outbox;

  const BACKOFF_MS = [1000, 2000, 5000, 10000, 20000, 30000, 60000];

  outbox.pendingCount = () => db.outbox.where("status").equals("pending").count();
  outbox.list = () => db.outbox.orderBy("created_at").toArray();
  outbox.journal = (limit) => db.journal.orderBy("sent_at").reverse().limit(limit || 50).toArray();

  // Persist first: nothing is sent before this resolves.
  outbox.add = async function (payload, display) {
    const entry = {
      client_uuid: payload.client_uuid,
      payload: payload,
      status: "pending",
      attempts: 0,
      next_at: 0,
      created_at: new Date().toISOString(),
      provisional: T.provisionalNumber(payload.client_uuid),
      display: display || {},
      error: "",
    };
    await db.outbox.put(entry);
    T.emit("outbox");
    return entry;
  };

  // Send one sale now (and whatever waits before it); resolve with
  // {state: "sent", sale} | {state: "rejected", error} | {state: "queued", error}.
  outbox.send = function (clientUuid, { timeout = 10000 } = {}) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish({ state: "queued", error: "" }), timeout);
      function finish(result) {
        clearTimeout(timer);
        outbox.waiters.delete(clientUuid);
        resolve(result);
      }
      outbox.waiters.set(clientUuid, finish);
      outbox.drain({ now: true });
    });
  };

  function settle(clientUuid, result) {
    const fn = outbox.waiters.get(clientUuid);
    if (fn) fn(result);
  }

  // 4xx that will never succeed on a retry: the sale is refused as it stands.
  function isFinal(status) {
    return status >= 400 && status < 500 && ![401, 403, 408, 425, 429].includes(status);
  }

  outbox.drain = async function ({ now = false } = {}) {
    if (now) {
      await db.outbox
        .where("status")
        .equals("pending")
        .modify({ next_at: 0 })
        .catch(() => {});
    }
    if (outbox.draining) {
      outbox.again = true;
      return;
    }
    const run = async () => {
      outbox.draining = true;
      try {
        do {
          outbox.again = false;
          await drainOnce();
        } while (outbox.again);
      } finally {
        outbox.draining = false;
        schedule();
      }
    };
    // One sender per device even with two tabs open (the server would cope anyway).
    if (navigator.locks && navigator.locks.request) {
      await navigator.locks.request("hanout-till-outbox", { ifAvailable: true }, (lock) =>
        lock ? run() : null
      );
    } else {
      await run();
    }
  };

  async function drainOnce() {
    for (;;) {
      const pending = await db.outbox.where("status").equals("pending").sortBy("created_at");
      const entry = pending[0];
      if (!entry) return;
      if (entry.next_at > Date.now()) return; // in order: later sales wait behind it
      let sale;
      try {
        sale = await T.request(config.api.sales, {
          method: "POST",
          body: entry.payload,
          timeout: 20000,
        });
      } catch (err) {
        if (!err.network && isFinal(err.status)) {
          await db.outbox.update(entry.client_uuid, {
            status: "rejected",
            error: err.message,
            http_status: err.status,
            rejected_at: new Date().toISOString(),
          });
          T.emit("outbox");
          settle(entry.client_uuid, { state: "rejected", error: err.message, status: err.status });
          continue;
        }
        const attempts = entry.attempts + 1;
        const delay = BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)];
        outbox.blocked = err.status === 401 || err.status === 403 ? err.message : "";
        await db.outbox.update(entry.client_uuid, {
          attempts,
          next_at: Date.now() + delay * (0.8 + Math.random() * 0.4),
          error: err.message,
        });
        T.emit("outbox");
        settle(entry.client_uuid, { state: "queued", error: err.message });
        return;
      }
      outbox.blocked = "";
      const record = {
        client_uuid: entry.client_uuid,
        provisional: entry.provisional,
        created_at: entry.created_at,
        sent_at: new Date().toISOString(),
        offline: !!entry.payload.offline,
        sale: {
          id: sale.id,
          number: sale.number,
          ticket: sale.ticket || String(sale.number || "").padStart(6, "0"),
          total: sale.total,
          change_given: sale.change_given,
        },
        display: entry.display,
      };
      await db.transaction("rw", db.outbox, db.journal, async () => {
        await db.journal.put(record);
        await db.outbox.delete(entry.client_uuid);
      });
      trimJournal();
      T.emit("outbox");
      T.emit("sent", record);
      settle(entry.client_uuid, { state: "sent", sale: record.sale });
    }
  }

  async function trimJournal() {
    const n = await db.journal.count();
    if (n > 200) {
      const old = await db.journal.orderBy("sent_at").limit(n - 200).primaryKeys();
      await db.journal.bulkDelete(old);
    }
  }

  async function schedule() {
    clearTimeout(outbox.timer);
    const pending = await db.outbox.where("status").equals("pending").sortBy("created_at");
    if (!pending.length) return;
    const wait = Math.max(500, pending[0].next_at - Date.now());
    outbox.timer = setTimeout(() => outbox.drain(), wait);
  }

  outbox.dismiss = async function (clientUuid) {
    await db.outbox.delete(clientUuid);
    T.emit("outbox");
  };

  // Is this basket's sale already recorded (outbox or journal)? Used after a reload.
  outbox.knows = async function (clientUuid) {
    return !!((await db.outbox.get(clientUuid)) || (await db.journal.get(clientUuid)));
  };

  // Ask the browser not to evict the outbox when the disk runs low.
  T.persistStorage = async function () {
    if (navigator.storage && navigator.storage.persist) {
      try {
        return await navigator.storage.persist();
      } catch (e) {
        return false;
      }
    }
    return false;
  };
})();
