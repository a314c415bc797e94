// The chat page, part 4: the open conversation. History (latest page, older pages when
// scrolling up, live messages, catch-up by seq after every (re)connect, repeats dropped by
// seq), the composer (Enter sends, @-completion, typing, idempotent sends with retry, uploads
// with progress, voice), edit/delete, search, presence heartbeats and notifications.
(function () {
  "use strict";

  const C = window.HanoutChat;
  if (!C.root) return;
  const { el, icon, _, config, socket } = C;
  const ngettext = C.n_; // named so: makemessages finds the plural strings by this name
  const S = C.state;
  const me = config.me.id;

  const PAGE = 50;
  const TYPING_EVERY_MS = 3000;
  const TYPING_SHOWN_MS = 5000;
  const GROUP_MINUTES = 5;

  const history = document.getElementById("chat-history");
  const list = document.getElementById("chat-messages");
  const text = document.getElementById("chat-text");
  const typingLine = document.getElementById("chat-typing");

  // conversation id → {messages: Map seq → message, maxSeq (held without gap), minSeq, hasOlder}
  const histories = new Map();
  // client_id → a message being sent: {conversation, text, mentions, kind, file, …, status}
  const pending = new Map();

  // --- errors and notices -----------------------------------------------------------------------
  let errorTimer = null;
  function showError(message, { sticky = false } = {}) {
    const box = document.getElementById("chat-error");
    document.getElementById("chat-error-text").textContent = message;
    box.hidden = false;
    clearTimeout(errorTimer);
    if (!sticky) errorTimer = setTimeout(() => (box.hidden = true), 8000);
  }
  C.on("error", (message) => showError(message));
  C.on("notice", (message) => showError(message));
  document.getElementById("chat-error-close").addEventListener("click", () => {
    document.getElementById("chat-error").hidden = true;
  });

  // --- the socket's state -------------------------------------------------------------------------
  C.on("socket", ({ state, wait }) => {
    const label = document.getElementById("chat-ws-status");
    const texts = {
      connecting: _("Connecting…"),
      open: _("Connected"),
      waiting: C.fmt(_("Connection lost; trying again in %(n)s s…"), { n: Math.round((wait || 0) / 1000) }),
      closed: _("Disconnected"),
      "signed-out": _("You were signed out. Reload the page to sign in again."),
      forbidden: _("You no longer have access to the chat."),
    };
    label.textContent = texts[state] || state;
    if (state === "signed-out" || state === "forbidden") showError(texts[state], { sticky: true });
  });

  // --- history ------------------------------------------------------------------------------------
  function historyOf(id) {
    if (!histories.has(id)) histories.set(id, { messages: new Map(), maxSeq: 0, minSeq: 0, hasOlder: false, loaded: false });
    return histories.get(id);
  }

  function advance(h) {
    while (h.messages.has(h.maxSeq + 1)) h.maxSeq += 1;
  }

  // Every message, from REST, a push or a sync, goes through here: a seq already held is
  // replaced (edits and deletions keep their seq), never shown twice.
  function receive(message, { live = false } = {}) {
    const c = S.conversations.get(message.conversation);
    const h = historyOf(message.conversation);
    const known = h.messages.has(message.seq);
    if (message.client_id && pending.has(message.client_id)) {
      const p = pending.get(message.client_id);
      pending.delete(message.client_id);
      if (p.node) p.node.remove();
    }
    if (!c && live) {
      // A conversation the list does not have yet (a first direct message races its
      // conversation.joined): fetched now, after the commit, so its unread count holds this one.
      C.fetchConversation(message.conversation)
        .then((fetched) => notifyNew(adopt(fetched), message))
        .catch(() => {});
    }
    if (c && live) notifyNew(adopt(c), message);
    if (c) {
      if (message.seq > (c.last_seq || 0)) {
        c.last_seq = message.seq;
        // as times, not text: the API writes UTC for messages, the shop's zone for conversations
        if (new Date(message.created_at) > new Date(c.last_message_at)) c.last_message_at = message.created_at;
        const mine = message.author && message.author.id === me;
        if (!mine && !(message.conversation === S.openId && visible())) {
          c.unread = (c.unread || 0) + 1;
          if ((message.mentions || []).includes(me)) S.mentioned.add(c.id);
        }
      }
    }
    if (h.loaded && (known || message.seq >= h.minSeq)) {
      h.messages.set(message.seq, message);
      if (!h.minSeq || message.seq < h.minSeq) h.minSeq = message.seq;
      const before = h.maxSeq;
      advance(h);
      if (live && message.seq > before + 1 && !known) catchUp(message.conversation);
      if (message.conversation === S.openId) place(message, known);
    }
    if (message.author) dropTyping(message.conversation, message.author.id);
  }

  // Each message is notified once: `notified` is the highest seq considered, from the
  // last seq at load for the conversations listed then, from the read marker for new ones.
  function adopt(c) {
    if (c.notified === undefined) c.notified = c.my_last_read || 0;
    return c;
  }
  function notifyNew(c, message) {
    if (message.seq <= (c.notified || 0)) return;
    c.notified = message.seq;
    if (message.author && message.author.id !== me) notify(message, c);
  }

  // A conversation one was added to: fetched, and its unread messages (a push sent before
  // this socket joined it is lost) read once, for the notifications.
  async function joined(id) {
    const c = adopt(await C.fetchConversation(id));
    if (c.unread > 0) {
      const page = await C.request(`conversations/${id}/messages/?after=${c.my_last_read || 0}&size=20`);
      page.results.forEach((m) => receive(m, { live: true }));
    }
  }

  // Ask for everything after the last seq held without a gap (the socket's `sync`, or REST).
  function catchUp(id) {
    const h = histories.get(id);
    if (!h || !h.loaded) return;
    if (!socket.send({ type: "sync", conversation: id, after: h.maxSeq })) {
      C.request(`conversations/${id}/messages/?after=${h.maxSeq}&size=200`)
        .then((page) => {
          page.results.forEach((m) => receive(m));
          if (page.has_more) catchUp(id);
          afterChange();
        })
        .catch(() => {});
    }
  }

  function visible() {
    return document.visibilityState === "visible";
  }

  // --- drawing messages -----------------------------------------------------------------------------
  function minutesBetween(a, b) {
    return Math.abs(new Date(a) - new Date(b)) / 60000;
  }

  // @Full Name of the people a message mentions, highlighted (text nodes only).
  function body(message) {
    const node = el("div", { class: "chat-body", dir: C.direction(message.text) });
    const names = (message.mentions || [])
      .map((id) => (S.people.get(id) || {}).name)
      .filter(Boolean)
      .flatMap((name) => [name, name.split(/\s+/)[0]]) // "@Youssef" for Youssef El Amrani too
      .sort((a, b) => b.length - a.length)
      .map((n) => "@" + n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (!names.length) {
      node.textContent = message.text;
      return node;
    }
    const parts = message.text.split(new RegExp(`(${names.join("|")})`, "g"));
    parts.forEach((part, i) => {
      if (i % 2) node.append(el("bdi", { class: "chat-mention", text: part })); // "@" stays with the name in RTL
      else if (part) node.append(document.createTextNode(part));
    });
    return node;
  }

  function canEdit(message) {
    return (
      config.can_write &&
      message.author &&
      message.author.id === me &&
      !message.deleted &&
      Date.now() - new Date(message.created_at) < config.edit_minutes * 60000
    );
  }
  function canDelete(message) {
    return config.can_write && !message.deleted && ((message.author && message.author.id === me) || config.can_delete_any);
  }

  function messageNode(message, previous) {
    const mine = message.author && message.author.id === me;
    const continued =
      previous &&
      !previous.deleted &&
      previous.author &&
      message.author &&
      previous.author.id === message.author.id &&
      C.sameDay(new Date(previous.created_at), new Date(message.created_at)) &&
      minutesBetween(previous.created_at, message.created_at) < GROUP_MINUTES;
    const classes = ["chat-msg"];
    if (mine) classes.push("mine");
    if (continued) classes.push("chat-cont");
    if (message.deleted) classes.push("deleted");
    if (!message.deleted && (message.mentions || []).includes(me)) classes.push("mentions-me");
    const meta = el(
      "div",
      { class: "chat-meta" },
      el("bdi", { class: "chat-author", text: message.author ? message.author.name : _("Former member") }),
      el("time", { datetime: message.created_at, title: C.fullTime(message.created_at), text: C.time(message.created_at) })
    );
    // A message under the previous one of the same author shows its time on hover.
    const bubble = el("div", { class: "chat-bubble", title: continued ? C.fullTime(message.created_at) : null }, meta);
    if (message.deleted) {
      bubble.append(el("div", { class: "chat-body chat-deleted-mark" }, icon("trash3"), " ", _("This message was deleted.")));
    } else {
      if (message.text) bubble.append(body(message));
      if ((message.attachments || []).length) {
        bubble.append(el("div", { class: "chat-atts" }, message.attachments.map((a) => C.renderAttachment(a))));
      }
      if (message.edited_at) {
        bubble.append(el("div", { class: "chat-edited", title: C.fullTime(message.edited_at), text: _("(edited)") }));
      }
    }
    const actions = el("div", { class: "chat-actions" });
    if (canEdit(message) && message.text !== undefined) {
      actions.append(
        el("button", { type: "button", class: "btn btn-sm btn-link chat-edit", title: _("Edit"), onclick: () => startEdit(message) }, icon("pencil"), el("span", { class: "visually-hidden", text: _("Edit") }))
      );
    }
    if (canDelete(message)) {
      actions.append(
        el("button", { type: "button", class: "btn btn-sm btn-link text-danger chat-delete", title: _("Delete"), onclick: () => remove(message) }, icon("trash3"), el("span", { class: "visually-hidden", text: _("Delete") }))
      );
    }
    return el(
      "li",
      { class: classes.join(" "), id: `m-${message.conversation}-${message.seq}`, dataset: { seq: message.seq, id: message.id, clientId: message.client_id || "" } },
      bubble,
      actions.childElementCount ? actions : null
    );
  }

  function dayNode(iso) {
    return el("li", { class: "chat-day", dataset: { day: new Date(iso).toDateString() } }, el("span", { text: C.day(iso) }));
  }

  // The whole open conversation, drawn again (opening, older pages, a gap filled).
  function renderAll() {
    const h = histories.get(S.openId);
    const nodes = [];
    let previous = null;
    const c = S.conversations.get(S.openId);
    const lastRead = c ? c.my_last_read : 0;
    let unreadMarked = false;
    let lastDay = null;
    for (const seq of [...h.messages.keys()].sort((a, b) => a - b)) {
      const m = h.messages.get(seq);
      const day = new Date(m.created_at).toDateString();
      if (day !== lastDay) {
        nodes.push(dayNode(m.created_at));
        lastDay = day;
        previous = null;
      }
      if (!unreadMarked && lastRead && seq > lastRead && m.author && m.author.id !== me && nodes.length > 1) {
        nodes.push(el("li", { class: "chat-new-divider", id: "chat-new-divider" }, el("span", { text: _("New messages") })));
        unreadMarked = true;
        previous = null; // the author's name again after the line
      }
      nodes.push(messageNode(m, previous));
      previous = m;
    }
    for (const p of pending.values()) if (p.conversation === S.openId) nodes.push(p.node || pendingNode(p));
    list.replaceChildren(...nodes);
    document.getElementById("chat-start").hidden = h.hasOlder || !h.loaded;
    document.getElementById("chat-empty").hidden = true;
  }

  // One message into the open conversation: in place when held, at the end when newest
  // (the usual case), else the whole list again.
  function place(message, known) {
    const h = histories.get(S.openId);
    const id = `m-${message.conversation}-${message.seq}`;
    const existing = document.getElementById(id);
    if (known && existing) {
      const prev = h.messages.get(message.seq - 1) || null;
      existing.replaceWith(messageNode(message, prev));
      return;
    }
    const seqs = [...h.messages.keys()];
    const newest = Math.max(...seqs);
    const stuck = nearBottom();
    if (message.seq === newest) {
      const prev = h.messages.get(message.seq - 1) || null;
      const firstPending = list.querySelector(".chat-msg.pending");
      if (!prev || !C.sameDay(new Date(prev.created_at), new Date(message.created_at))) list.insertBefore(dayNode(message.created_at), firstPending);
      list.insertBefore(messageNode(message, prev), firstPending);
    } else {
      const top = history.scrollHeight - history.scrollTop;
      renderAll();
      if (!stuck) history.scrollTop = history.scrollHeight - top;
    }
    if (stuck || (message.author && message.author.id === me)) toBottom();
    else document.getElementById("chat-jump").hidden = false;
  }

  function nearBottom() {
    return history.scrollHeight - history.scrollTop - history.clientHeight < 120;
  }
  function toBottom() {
    history.scrollTop = history.scrollHeight;
    document.getElementById("chat-jump").hidden = true;
  }
  document.getElementById("chat-jump").addEventListener("click", toBottom);

  // --- opening a conversation ------------------------------------------------------------------------
  let openToken = 0;
  C.openConversation = async function (id, { force = false } = {}) {
    if (!id || !S.conversations.has(id)) {
      const first = [...S.conversations.values()].sort((a, b) => (a.kind === "business" ? -1 : b.kind === "business" ? 1 : 0))[0];
      id = first ? first.id : null;
    }
    const token = ++openToken;
    S.openId = id;
    C.root.dataset.view = id ? "conversation" : "list";
    closeSearch();
    hideMentions();
    C.renderList();
    renderTyping();
    if (!id) {
      list.replaceChildren();
      document.getElementById("chat-title").textContent = "";
      document.getElementById("chat-subtitle").textContent = "";
      document.getElementById("chat-empty").hidden = false;
      return;
    }
    window.history.replaceState(null, "", `?c=${id}`);
    const c = S.conversations.get(id);
    header(c);
    const h = historyOf(id);
    if (!h.loaded || force) {
      list.replaceChildren(el("li", { class: "text-center text-body-secondary py-4" }, el("span", { class: "spinner-border spinner-border-sm", role: "status" }), " ", _("Loading…")));
      try {
        const [page] = await Promise.all([
          C.request(`conversations/${id}/messages/?size=${PAGE}`),
          c.kind === "group" || c.kind === "direct" ? C.fetchConversation(id).then(header) : null,
        ]);
        if (token !== openToken) return;
        h.messages.clear();
        page.results.forEach((m) => h.messages.set(m.seq, m));
        h.minSeq = page.results.length ? page.results[0].seq : (c.last_seq || 0) + 1;
        h.maxSeq = page.results.length ? page.results[page.results.length - 1].seq : c.last_seq || 0;
        h.hasOlder = page.has_more;
        h.loaded = true;
      } catch (err) {
        if (token === openToken) {
          list.replaceChildren();
          showError(err.message);
        }
        return;
      }
    } else {
      catchUp(id);
    }
    renderAll();
    const divider = document.getElementById("chat-new-divider");
    if (divider) divider.scrollIntoView({ block: "start" });
    else toBottom();
    markRead();
    if (config.can_write && window.matchMedia("(min-width: 768px)").matches) text.focus();
    fillHistory();
  };

  function header(c) {
    if (!c || c.id !== S.openId) return;
    document.getElementById("chat-title").textContent = c.name || c.title;
    let sub = C.kindLabel(c.kind);
    if (c.kind === "group" && c.members) sub = C.fmt(ngettext("Group · %(n)s person", "Group · %(n)s people", c.members.length), { n: c.members.length });
    if (c.kind === "direct" && c.members) {
      const other = c.members.find((m) => m.id !== me);
      const person = other && S.people.get(other.id);
      if (person) sub = person.status === "online" ? _("Online") : person.last_seen ? C.fmt(_("Last seen %(when)s"), { when: C.ago(person.last_seen) }) : _("Offline");
    }
    document.getElementById("chat-subtitle").textContent = sub;
    const group = c.kind === "group";
    for (const [node, show] of [["chat-members-add", group], ["chat-leave", group]]) {
      const n = document.getElementById(node);
      if (n) n.parentElement.hidden = !show;
    }
  }

  document.getElementById("chat-back").addEventListener("click", () => (C.root.dataset.view = "list"));

  // --- older pages when scrolling up ------------------------------------------------------------
  let loadingOlder = false;
  async function loadOlder() {
    const id = S.openId;
    const h = histories.get(id);
    if (!h || !h.loaded || !h.hasOlder || loadingOlder) return;
    loadingOlder = true;
    document.getElementById("chat-older").hidden = false;
    try {
      const page = await C.request(`conversations/${id}/messages/?before=${h.minSeq}&size=${PAGE}`);
      if (id !== S.openId) return;
      page.results.forEach((m) => h.messages.set(m.seq, m));
      if (page.results.length) h.minSeq = page.results[0].seq;
      h.hasOlder = page.has_more;
      // Keep what the person was reading where it was.
      const fromBottom = history.scrollHeight - history.scrollTop;
      renderAll();
      history.scrollTop = history.scrollHeight - fromBottom;
    } catch (err) {
      showError(err.message);
    } finally {
      loadingOlder = false;
      document.getElementById("chat-older").hidden = true;
    }
  }
  history.addEventListener("scroll", () => {
    if (history.scrollTop < 150) loadOlder();
    if (nearBottom()) {
      document.getElementById("chat-jump").hidden = true;
      markRead();
    }
  });
  // A first page shorter than the screen: fetch more until it scrolls (or the start is reached).
  async function fillHistory() {
    for (let i = 0; i < 5; i++) {
      const h = histories.get(S.openId);
      if (!h || !h.hasOlder || history.scrollHeight > history.clientHeight + 150) return;
      await loadOlder();
    }
  }
  C.loadOlder = loadOlder;

  // --- read markers --------------------------------------------------------------------------------
  let readTimer = null;
  function markRead() {
    clearTimeout(readTimer);
    readTimer = setTimeout(async () => {
      const id = S.openId;
      const c = S.conversations.get(id);
      const h = histories.get(id);
      if (!c || !h || !h.loaded || !visible()) return;
      const seq = h.maxSeq;
      if (!c.unread && seq <= (c.my_last_read || 0)) return;
      c.unread = 0;
      S.mentioned.delete(id);
      C.renderList();
      try {
        const answer = await C.request(`conversations/${id}/read/`, { method: "POST", body: { seq } });
        c.my_last_read = Math.max(c.my_last_read || 0, answer.seq);
      } catch (err) {
        /* the next visit marks it */
      }
    }, 400);
  }
  document.addEventListener("visibilitychange", () => {
    if (visible()) markRead();
  });

  // --- edit and delete ------------------------------------------------------------------------------
  function startEdit(message) {
    const node = document.getElementById(`m-${message.conversation}-${message.seq}`);
    if (!node || node.classList.contains("editing")) return;
    node.classList.add("editing");
    const bubble = node.querySelector(".chat-bubble");
    const old = bubble.querySelector(".chat-body");
    const area = el("textarea", { class: "form-control form-control-sm chat-edit-text", rows: 2, maxlength: 4000, dir: "auto", "aria-label": _("Edit the message") });
    area.value = message.text;
    const problem = el("div", { class: "small text-danger chat-edit-error", role: "alert" });
    const save = async () => {
      try {
        const updated = await C.request(`conversations/${message.conversation}/messages/${message.id}/`, { method: "PATCH", body: { text: area.value } });
        receive(updated);
      } catch (err) {
        problem.textContent = err.message;
        if (err.code === "edit_window_closed") {
          area.disabled = true;
          const editButton = node.querySelector(".chat-edit");
          if (editButton) editButton.remove();
        }
      }
    };
    const cancel = () => {
      const h = histories.get(message.conversation);
      node.replaceWith(messageNode(h.messages.get(message.seq) || message, h.messages.get(message.seq - 1) || null));
    };
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        save();
      } else if (event.key === "Escape") cancel();
    });
    const form = el(
      "div",
      { class: "chat-edit-form" },
      area,
      problem,
      el(
        "div",
        { class: "d-flex gap-1 mt-1" },
        el("button", { type: "button", class: "btn btn-sm btn-primary chat-edit-save", onclick: save, text: _("Save") }),
        el("button", { type: "button", class: "btn btn-sm btn-outline-secondary", onclick: cancel, text: _("Cancel") })
      )
    );
    if (old) old.replaceWith(form);
    else bubble.append(form);
    area.focus();
  }

  async function remove(message) {
    if (!window.confirm(_("Delete this message? Everyone will see that it was deleted."))) return;
    try {
      receive(await C.request(`conversations/${message.conversation}/messages/${message.id}/`, { method: "DELETE" }));
    } catch (err) {
      showError(err.message);
    }
  }

  // --- search ------------------------------------------------------------------------------------
  const results = document.getElementById("chat-results");
  function closeSearch() {
    results.hidden = true;
  }
  document.getElementById("chat-results-close").addEventListener("click", closeSearch);
  document.getElementById("chat-search").addEventListener("submit", async (event) => {
    event.preventDefault();
    const words = document.getElementById("chat-search-input").value.trim();
    if (!words || !S.openId) return closeSearch();
    const id = S.openId;
    try {
      const page = await C.request(`conversations/${id}/messages/?search=${encodeURIComponent(words)}&size=50`);
      const found = page.results.slice().reverse(); // newest first
      document.getElementById("chat-results-title").textContent = C.fmt(
        ngettext("%(n)s message found", "%(n)s messages found", found.length),
        { n: found.length }
      );
      document.getElementById("chat-results-list").replaceChildren(
        ...found.map((m) =>
          el(
            "li",
            {},
            el(
              "button",
              { type: "button", class: "chat-result", dataset: { seq: m.seq }, onclick: () => jumpTo(id, m.seq) },
              el("span", { class: "chat-result-meta" }, el("bdi", { text: m.author ? m.author.name : "" }), " · ", el("time", { datetime: m.created_at, text: C.fullTime(m.created_at) })),
              el("span", { class: "chat-result-text", dir: C.direction(m.text), text: m.text })
            )
          )
        )
      );
      results.hidden = false;
    } catch (err) {
      showError(err.message);
    }
  });

  // Show message `seq`: older pages are fetched until it is held, then it is scrolled to and lit.
  async function jumpTo(id, seq) {
    if (id !== S.openId) return;
    const h = histories.get(id);
    for (let i = 0; i < 50 && h.minSeq > seq && h.hasOlder; i++) {
      const page = await C.request(`conversations/${id}/messages/?before=${h.minSeq}&size=200`);
      page.results.forEach((m) => h.messages.set(m.seq, m));
      if (page.results.length) h.minSeq = page.results[0].seq;
      h.hasOlder = page.has_more;
    }
    renderAll();
    const node = document.getElementById(`m-${id}-${seq}`);
    if (!node) return;
    node.scrollIntoView({ block: "center" });
    node.classList.remove("flash");
    void node.offsetWidth;
    node.classList.add("flash");
  }
  C.jumpTo = jumpTo;

  // --- sending ---------------------------------------------------------------------------------------
  function pendingNode(p) {
    const bar = el("div", { class: "progress chat-progress", role: "progressbar", "aria-label": _("Sending"), "aria-valuemin": 0, "aria-valuemax": 100 }, el("div", { class: "progress-bar" }));
    const status = el("div", { class: "chat-send-status small" });
    const bubble = el(
      "div",
      { class: "chat-bubble" },
      el("div", { class: "chat-meta" }, el("bdi", { class: "chat-author", text: config.me.name })),
      p.text ? el("div", { class: "chat-body", dir: C.direction(p.text), text: p.text }) : null,
      p.file ? el("div", { class: "chat-atts" }, el("span", { class: "chat-file" }, icon(p.kind === "voice" ? "mic" : p.kind === "image" ? "image" : "file-earmark"), el("bdi", { text: p.file.name }), el("span", { class: "small text-body-secondary", text: C.size(p.file.size) }))) : null,
      p.file ? bar : null,
      status
    );
    p.node = el("li", { class: "chat-msg mine pending", dataset: { clientId: p.client_id } }, bubble);
    p.bar = bar;
    p.status = status;
    drawPending(p);
    return p.node;
  }

  function drawPending(p) {
    if (!p.node) return;
    p.node.classList.toggle("failed", p.state === "failed");
    if (p.bar) {
      p.bar.hidden = p.state !== "sending";
      p.bar.firstChild.style.inlineSize = `${Math.round((p.progress || 0) * 100)}%`;
      p.bar.setAttribute("aria-valuenow", String(Math.round((p.progress || 0) * 100)));
    }
    if (p.state === "sending") {
      p.status.replaceChildren(el("span", { class: "spinner-border spinner-border-sm me-1", "aria-hidden": "true" }), _("Sending…"));
    } else {
      p.status.replaceChildren(
        el("span", { class: "text-danger chat-send-error" }, icon("exclamation-circle"), " ", p.error || _("Not sent.")),
        " ",
        p.retryable ? el("button", { type: "button", class: "btn btn-sm btn-link p-0 chat-retry", onclick: () => attempt(p), text: _("Try again") }) : null,
        " ",
        el("button", { type: "button", class: "btn btn-sm btn-link p-0 text-body-secondary chat-discard", onclick: () => discard(p), text: _("Remove") })
      );
    }
  }

  function discard(p) {
    pending.delete(p.client_id);
    if (p.node) p.node.remove();
  }

  // Sends, and on a network failure or timeout sends again with the same client_id (the server
  // keeps the first): twice automatically, then a "Try again" button.
  async function attempt(p) {
    p.state = "sending";
    p.progress = 0;
    p.error = "";
    drawPending(p);
    const path = `conversations/${p.conversation}/`;
    try {
      let message;
      if (p.file) {
        const form = new FormData();
        form.append("file", p.file, p.file.name);
        form.append("kind", p.kind);
        form.append("client_id", p.client_id);
        if (p.text) form.append("text", p.text);
        if (p.duration_ms) form.append("duration_ms", String(p.duration_ms));
        if (p.waveform) form.append("waveform", p.waveform.join(","));
        message = await C.upload(path + "uploads/", form, (fraction) => {
          p.progress = fraction;
          drawPending(p);
        });
      } else {
        message = await C.request(path + "messages/", { method: "POST", body: { text: p.text, client_id: p.client_id, mentions: p.mentions }, timeout: 10000 });
      }
      receive(message);
    } catch (err) {
      p.state = "failed";
      p.retryable = !!err.network || err.status >= 500;
      p.error = err.message;
      if (p.retryable && (p.tries = (p.tries || 0) + 1) <= 2) {
        drawPending(p);
        setTimeout(() => pending.has(p.client_id) && attempt(p), 1000 * p.tries);
        return;
      }
      drawPending(p);
      if (!p.retryable) showError(err.message);
    }
  }
  C.pending = pending;

  // Texts leave one after the other, so they keep the order they were written in (the
  // server numbers messages in commit order); files go at once, each with its progress bar.
  let textChain = Promise.resolve();
  function queue(p) {
    p.client_id = C.uuid();
    p.conversation = S.openId;
    pending.set(p.client_id, p);
    list.append(pendingNode(p));
    toBottom();
    if (p.file) attempt(p);
    else textChain = textChain.then(() => attempt(p));
  }

  const composer = document.getElementById("chat-composer");
  if (composer) {
    composer.addEventListener("submit", (event) => {
      event.preventDefault();
      sendText();
    });
  }

  function sendText() {
    const value = text.value.trim();
    if (!value || !S.openId) return;
    const mentions = [...composeMentions.entries()].filter(([, name]) => value.includes("@" + name)).map(([id]) => id);
    queue({ kind: "text", text: value, mentions });
    text.value = "";
    composeMentions.clear();
    autosize();
  }

  function sendFiles(files) {
    for (const file of files) {
      const kind = /^image\/(png|jpeg|gif|webp)$/.test(file.type) ? "image" : "file";
      queue({ kind, file, text: "" });
    }
  }
  const picker = document.getElementById("chat-file");
  if (picker) {
    picker.addEventListener("change", () => {
      if (S.openId) sendFiles([...picker.files]);
      picker.value = "";
    });
  }
  if (text) {
    text.addEventListener("paste", (event) => {
      const files = [...(event.clipboardData ? event.clipboardData.files : [])];
      if (files.length && S.openId) {
        event.preventDefault();
        sendFiles(files);
      }
    });
  }
  history.addEventListener("dragover", (event) => config.can_write && event.preventDefault());
  history.addEventListener("drop", (event) => {
    if (!config.can_write || !S.openId) return;
    event.preventDefault();
    sendFiles([...event.dataTransfer.files]);
  });

  C.setupRecorder({
    button: document.getElementById("chat-mic"),
    panel: document.getElementById("chat-recording"),
    timeLabel: document.getElementById("chat-rec-time"),
    onRecorded: ({ blob, name, duration_ms, waveform }) => {
      if (!S.openId) return;
      const file = new File([blob], name, { type: blob.type });
      queue({ kind: "voice", file, text: "", duration_ms, waveform });
    },
  });

  // --- the composer: Enter, growing box, typing, @-completion -----------------------------------
  const composeMentions = new Map(); // user id → name inserted as @name
  const menu = document.getElementById("chat-mentions");
  let choices = [];
  let chosen = 0;

  function autosize() {
    if (!text) return;
    text.style.blockSize = "auto";
    text.style.blockSize = `${Math.min(text.scrollHeight + 2, 160)}px`;
  }

  function candidates() {
    const c = S.conversations.get(S.openId);
    const people = c && c.members && c.members.length ? c.members : [...S.people.values()];
    return people.filter((p) => p.id !== me);
  }

  function mentionQuery() {
    const before = text.value.slice(0, text.selectionStart);
    const match = before.match(/(^|\s)@([^\s@]{0,30}(?: [^\s@]{0,30})?)$/u);
    return match ? { query: match[2], start: before.length - match[2].length - 1 } : null;
  }

  function showMentions() {
    const found = mentionQuery();
    if (!found) return hideMentions();
    const q = C.fold(found.query);
    choices = candidates()
      .filter((p) => !q || C.fold(p.name).split(/\s+/).some((w) => w.startsWith(q)) || C.fold(p.name).startsWith(q))
      .slice(0, 8);
    if (!choices.length) return hideMentions();
    chosen = Math.min(chosen, choices.length - 1);
    menu.replaceChildren(
      ...choices.map((p, i) =>
        el(
          "li",
          { role: "option", "aria-selected": String(i === chosen) },
          el("button", { type: "button", class: `dropdown-item${i === chosen ? " active" : ""}`, dataset: { user: p.id }, onmousedown: (e) => { e.preventDefault(); pick(i); } }, el("bdi", { text: p.name }))
        )
      )
    );
    menu.classList.add("show");
    text.setAttribute("aria-expanded", "true");
  }
  function hideMentions() {
    if (!menu) return;
    menu.classList.remove("show");
    choices = [];
    chosen = 0;
    text && text.setAttribute("aria-expanded", "false");
  }
  function pick(i) {
    const found = mentionQuery();
    const person = choices[i];
    if (!found || !person) return;
    const insert = `@${person.name} `;
    const after = text.value.slice(text.selectionStart);
    text.value = text.value.slice(0, found.start) + insert + after;
    const caret = found.start + insert.length;
    text.setSelectionRange(caret, caret);
    composeMentions.set(person.id, person.name);
    hideMentions();
    autosize();
  }

  let lastTyping = 0;
  if (text) {
    text.addEventListener("input", () => {
      autosize();
      showMentions();
      if (text.value.trim() && Date.now() - lastTyping > TYPING_EVERY_MS && S.openId) {
        if (socket.send({ type: "typing", conversation: S.openId })) lastTyping = Date.now();
      }
    });
    text.addEventListener("keydown", (event) => {
      if (menu.classList.contains("show") && choices.length) {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          chosen = (chosen + (event.key === "ArrowDown" ? 1 : choices.length - 1)) % choices.length;
          showMentions();
          return;
        }
        if (event.key === "Enter" || event.key === "Tab") {
          event.preventDefault();
          pick(chosen);
          return;
        }
        if (event.key === "Escape") {
          hideMentions();
          return;
        }
      }
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        sendText();
      }
    });
    text.addEventListener("blur", () => setTimeout(hideMentions, 150));
    text.addEventListener("click", showMentions);
  }

  // Who is typing: shown for ~5 s after their last `typing`, or until their message arrives.
  const typing = new Map(); // conversation → Map user id → {name, until}
  function dropTyping(conversation, userId) {
    const here = typing.get(conversation);
    if (here && here.delete(userId) && conversation === S.openId) renderTyping();
  }
  function renderTyping() {
    const here = typing.get(S.openId) || new Map();
    const now = Date.now();
    for (const [id, t] of here) if (t.until < now) here.delete(id);
    const names = [...here.values()].map((t) => t.name);
    typingLine.textContent =
      names.length === 0
        ? ""
        : names.length === 1
          ? C.fmt(_("%(name)s is typing…"), { name: names[0] })
          : names.length === 2
            ? C.fmt(_("%(a)s and %(b)s are typing…"), { a: names[0], b: names[1] })
            : _("Several people are typing…");
  }
  setInterval(renderTyping, 1000);

  // --- pushed frames ---------------------------------------------------------------------------------
  C.on("ws:ready", async (frame) => {
    heartbeatEvery(frame.heartbeat_seconds || config.heartbeat_seconds);
    const seen = new Set();
    for (const row of frame.conversations) {
      seen.add(row.id);
      const c = S.conversations.get(row.id);
      if (!c) {
        joined(row.id).catch(() => {});
        continue;
      }
      c.unread = row.id === S.openId && visible() ? c.unread : row.unread;
      const h = histories.get(row.id);
      if (h && h.loaded && row.last_seq > h.maxSeq) catchUp(row.id);
      c.last_seq = Math.max(c.last_seq || 0, row.last_seq);
    }
    for (const id of [...S.conversations.keys()]) if (!seen.has(id)) C.removeConversation(id);
    if (S.openId && !S.conversations.has(S.openId)) C.openConversation(null);
    C.renderList();
  });
  C.on("ws:messages", (frame) => {
    frame.messages.forEach((m) => receive(m, { live: true }));
    if (frame.has_more) catchUp(frame.conversation);
    afterChange();
  });
  for (const kind of ["message.new", "message.updated", "message.deleted"]) {
    C.on("ws:" + kind, (frame) => {
      receive(frame.message, { live: kind === "message.new" });
      afterChange();
    });
  }
  function afterChange() {
    C.renderList();
    if (nearBottom()) markRead();
  }
  C.on("ws:conversation.joined", (frame) => joined(frame.conversation).catch(() => {}));
  C.on("ws:conversation.left", (frame) => {
    C.removeConversation(frame.conversation);
    if (frame.conversation === S.openId) C.openConversation(null);
  });
  C.on("ws:read", (frame) => {
    const c = S.conversations.get(frame.conversation);
    if (!c) return;
    c.my_last_read = Math.max(c.my_last_read || 0, frame.seq);
    if (frame.seq >= (c.last_seq || 0)) {
      c.unread = 0;
      S.mentioned.delete(c.id);
      C.renderList();
    } else C.fetchConversation(c.id).catch(() => {});
  });
  C.on("ws:typing", (frame) => {
    if (!typing.has(frame.conversation)) typing.set(frame.conversation, new Map());
    typing.get(frame.conversation).set(frame.user.id, { name: frame.user.name, until: Date.now() + TYPING_SHOWN_MS });
    if (frame.conversation === S.openId) renderTyping();
  });
  C.on("ws:presence", (frame) => {
    // the server gathers a second's changes into one frame (a restart reconnects everyone)
    frame.changes.forEach((change) => C.setPresence(change));
    header(S.conversations.get(S.openId));
  });

  // --- presence: heartbeats say whether the person touched the page ------------------------------
  let touched = true;
  const touch = () => (touched = true);
  ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"].forEach((e) => document.addEventListener(e, touch, { passive: true }));
  window.addEventListener("focus", touch);
  let heartbeat = null;
  function heartbeatEvery(seconds) {
    clearInterval(heartbeat);
    heartbeat = setInterval(() => {
      if (socket.send({ type: "heartbeat", active: touched })) touched = false;
    }, Math.max(5, seconds) * 1000);
  }
  setInterval(() => C.loadPresence().catch(() => {}), 60000);

  // --- browser notifications (asked for with a button, never on load) -------------------------------
  const notifyButton = document.getElementById("chat-notify-on");
  function offerNotifications() {
    notifyButton.hidden = !("Notification" in window) || Notification.permission !== "default";
  }
  notifyButton.addEventListener("click", () => {
    Notification.requestPermission().then(offerNotifications, offerNotifications);
  });
  function notify(message, c) {
    if (visible() || message.deleted) return;
    const forMe = (message.mentions || []).includes(me) || c.kind === "direct";
    if (!forMe || !("Notification" in window) || Notification.permission !== "granted") return;
    const author = message.author ? message.author.name : "";
    const kinds = config.message_kinds || {};
    try {
      // A notification's body is plain text: nothing in it is read as HTML.
      const n = new Notification(c.kind === "direct" ? author : `${author} · ${c.name}`, {
        body: message.text || kinds[message.kind] || "",
        tag: `chat-${c.id}`,
      });
      n.addEventListener("click", () => {
        window.focus();
        C.openConversation(c.id);
        n.close();
      });
    } catch (e) {
      /* some browsers only notify from a service worker */
    }
  }

  // --- start ---------------------------------------------------------------------------------------
  async function start() {
    offerNotifications();
    try {
      await Promise.all([C.loadConversations(), C.loadPresence()]);
    } catch (err) {
      showError(err.message, { sticky: true });
    }
    socket.connect();
    const wide = window.matchMedia("(min-width: 768px)").matches;
    if (config.open || wide) await C.openConversation(config.open);
    else C.root.dataset.view = "list";
  }
  C.receive = receive;
  C.histories = histories;
  start();
})();
