// The chat page, part 3: the conversation list (unread counts, newest activity first), the
// colleagues and their presence, and the dialogs to start a direct message, make a group or
// add people to one. The menu's badge and the tab title show the unread total.
(function () {
  "use strict";

  const C = window.HanoutChat;
  const { el, icon, _, config } = C;
  const ngettext = C.n_; // named so: makemessages finds the plural strings by this name

  const S = (C.state = {
    conversations: new Map(), // id → conversation as the API gives it (+ members when fetched)
    openId: null,
    people: new Map(), // user id → {id, name, status, last_seen}
    mentioned: new Set(), // conversations with an unread mention of me
  });

  const KIND_ICON = { business: "building", shop: "shop", group: "people", direct: "person" };
  // The models' own labels, translated by the server (config.kinds).
  C.kindLabel = (kind) => (config.kinds || {})[kind] || kind;

  // --- conversations ------------------------------------------------------------------------------
  function pathOf(link) {
    const url = new URL(link, location.href);
    return url.pathname + url.search;
  }

  C.loadConversations = async function () {
    const found = [];
    let next = "conversations/?page_size=200";
    for (let pages = 0; next && pages < 20; pages++) {
      const page = await C.request(next);
      found.push(...page.results);
      next = page.next ? pathOf(page.next) : null;
    }
    const keep = new Set(found.map((c) => c.id));
    for (const id of [...S.conversations.keys()]) if (!keep.has(id)) S.conversations.delete(id);
    found.forEach((c) => {
      C.upsertConversation(c);
      const held = S.conversations.get(c.id);
      if (held.notified === undefined) held.notified = held.last_seq; // nothing old is notified
    });
    C.renderList();
  };

  C.fetchConversation = async function (id) {
    const c = await C.request(`conversations/${id}/`);
    C.upsertConversation(c);
    C.renderList();
    return S.conversations.get(id);
  };

  C.upsertConversation = function (data) {
    const known = S.conversations.get(data.id) || {};
    if ((known.last_seq || 0) > (data.last_seq || 0)) {
      // An answer read before messages the page already counted: keep the newer counts.
      data = { ...data, last_seq: known.last_seq, unread: known.unread, last_message_at: known.last_message_at };
    }
    S.conversations.set(data.id, { ...known, ...data });
  };

  C.removeConversation = function (id) {
    S.conversations.delete(id);
    S.mentioned.delete(id);
    C.renderList();
  };

  function sorted() {
    return [...S.conversations.values()].sort(
      (a, b) => new Date(b.last_message_at) - new Date(a.last_message_at) || (a.id < b.id ? 1 : -1)
    );
  }

  C.renderList = function () {
    const list = document.getElementById("chat-conversations");
    const items = sorted().map((c) => {
      const active = c.id === S.openId;
      const unread = c.unread > 0 && !active ? c.unread : 0;
      return el(
        "li",
        {},
        el(
          "a",
          {
            href: `?c=${c.id}`,
            class: `chat-conv${active ? " active" : ""}${unread ? " unread" : ""}`,
            "aria-current": active ? "true" : null,
            dataset: { conversation: c.id, kind: c.kind },
            onclick: (event) => {
              event.preventDefault();
              C.openConversation(c.id);
            },
          },
          el("span", { class: `chat-conv-icon kind-${c.kind}` }, icon(KIND_ICON[c.kind] || "chat")),
          el(
            "span",
            { class: "chat-conv-text" },
            el("bdi", { class: "chat-conv-name", text: c.name || c.title }),
            el("span", { class: "chat-conv-kind", text: C.kindLabel(c.kind) })
          ),
          el(
            "span",
            { class: "chat-conv-side" },
            el("time", { class: "chat-conv-time", datetime: c.last_message_at, text: C.when(c.last_message_at) }),
            el(
              "span",
              { class: "chat-conv-badges" },
              S.mentioned.has(c.id) && unread
                ? el("span", { class: "badge rounded-pill text-bg-warning chat-conv-mention", title: _("You were mentioned"), text: "@" })
                : null,
              unread
                ? el(
                    "span",
                    { class: "badge rounded-pill text-bg-primary chat-conv-unread", title: C.fmt(ngettext("%(n)s unread message", "%(n)s unread messages", unread), { n: unread }) },
                    String(unread)
                  )
                : null
            )
          )
        )
      );
    });
    list.replaceChildren(
      ...(items.length ? items : [el("li", { class: "p-3 small text-body-secondary", text: _("No conversation yet.") })])
    );
    C.updateBadge();
  };

  // The unread total: the menu's badge (base.html) and the tab's title.
  const baseTitle = document.title;
  C.updateBadge = function () {
    let total = 0;
    for (const c of S.conversations.values()) total += Math.max(0, c.unread || 0);
    const badge = document.querySelector('[data-nav-badge="chat"]');
    if (badge) {
      badge.dataset.live = "1"; // hanout.js's one-off count must not overwrite this one
      badge.hidden = total === 0;
      const count = badge.querySelector("[data-nav-badge-count]");
      if (count) count.textContent = String(total);
    }
    document.title = total ? `(${total}) ${baseTitle}` : baseTitle;
    C.root.dataset.unread = String(total);
  };

  // --- colleagues and presence --------------------------------------------------------------------
  C.loadPresence = async function () {
    const rows = await C.request("presence/");
    const keep = new Set();
    for (const row of rows) {
      keep.add(row.user.id);
      S.people.set(row.user.id, { id: row.user.id, name: row.user.name, status: row.status, last_seen: row.last_seen });
    }
    for (const id of [...S.people.keys()]) if (!keep.has(id)) S.people.delete(id);
    C.renderPeople();
  };

  C.setPresence = function (frame) {
    const person = S.people.get(String(frame.user));
    if (!person) return;
    person.status = frame.status;
    person.last_seen = frame.last_seen;
    C.renderPeople();
  };

  const STATUS_ORDER = { online: 0, idle: 1, offline: 2 };
  const STATUS_LABEL = () => ({ online: _("Online"), idle: _("Away"), offline: _("Offline") });

  C.renderPeople = function () {
    const list = document.getElementById("chat-people");
    const labels = STATUS_LABEL();
    const people = [...S.people.values()]
      .filter((p) => p.id !== config.me.id)
      .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name));
    const rows = [];
    let section = null;
    for (const p of people) {
      if (p.status !== section) {
        section = p.status;
        rows.push(el("li", { class: "chat-people-section", text: labels[p.status] }));
      }
      const seen =
        p.status === "online"
          ? labels.online
          : p.last_seen
            ? C.fmt(_("Last seen %(when)s"), { when: C.ago(p.last_seen) })
            : labels[p.status];
      rows.push(
        el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: `chat-person status-${p.status}`,
              dataset: { user: p.id, status: p.status },
              title: config.can_write ? _("Send a direct message") : null,
              disabled: !config.can_write,
              onclick: () => C.startDirect(p.id),
            },
            el("span", { class: "chat-dot", "aria-hidden": "true" }),
            el(
              "span",
              { class: "chat-person-text" },
              el("bdi", { class: "chat-person-name", text: p.name }),
              el("span", { class: "chat-person-seen", title: p.last_seen ? C.fullTime(p.last_seen) : null, text: seen })
            )
          )
        )
      );
    }
    list.replaceChildren(
      ...(rows.length ? rows : [el("li", { class: "small text-body-secondary", text: _("No colleague yet.") })])
    );
  };

  // --- starting conversations -------------------------------------------------------------------
  C.startDirect = async function (userId) {
    try {
      const c = await C.request("conversations/", { method: "POST", body: { kind: "direct", user: userId } });
      C.upsertConversation(c);
      C.renderList();
      C.openConversation(c.id);
      return true;
    } catch (err) {
      C.emit("error", err.message);
      return false;
    }
  };

  // One dialog, four uses: a direct message (pick one), a new group (title + people), adding
  // people to a group, or only showing who is in the conversation.
  const dialog = {
    mode: null,
    node: document.getElementById("chat-people-dialog"),
    open(mode) {
      this.mode = mode;
      const c = S.conversations.get(S.openId);
      const titles = {
        direct: _("Message a colleague"),
        group: _("New group"),
        add: _("Add people"),
        members: _("Members"),
      };
      const submits = { group: _("Create the group"), add: _("Add") };
      C.$("#chat-people-dialog-title").textContent = titles[mode];
      C.$("#chat-group-title-row").hidden = mode !== "group";
      C.$("#chat-people-filter").hidden = mode === "members";
      C.$("#chat-people-submit").hidden = !(mode in submits);
      C.$("#chat-people-submit").textContent = submits[mode] || "";
      C.$("#chat-people-filter").value = "";
      C.$("#chat-group-title").value = "";
      C.$("#chat-group-title").classList.remove("is-invalid");
      C.$("#chat-people-error").textContent = "";
      this.render(c);
      this.closing = false;
      window.bootstrap.Modal.getOrCreateInstance(this.node).show();
    },
    // Bootstrap ignores a hide() asked during the opening animation (a quick click on a
    // colleague): it is asked again once the dialog is shown.
    close() {
      this.closing = true;
      window.bootstrap.Modal.getOrCreateInstance(this.node).hide();
    },
    render(c) {
      const mode = this.mode;
      const filter = C.fold(C.$("#chat-people-filter").value);
      const already = new Set(((c && c.members) || []).map((m) => m.id));
      let people;
      if (mode === "members") {
        people = c && c.members && c.members.length ? c.members : [...S.people.values()];
      } else {
        people = [...S.people.values()].filter((p) => p.id !== config.me.id && !(mode === "add" && already.has(p.id)));
      }
      people = people
        .filter((p) => !filter || C.fold(p.name).includes(filter))
        .sort((a, b) => a.name.localeCompare(b.name));
      const items = people.map((p) => {
        const person = S.people.get(p.id) || p;
        const dot = el("span", { class: `chat-dot status-${person.status || "offline"}`, "aria-hidden": "true" });
        if (mode === "direct") {
          return el(
            "li",
            { class: "list-group-item list-group-item-action p-0" },
            el(
              "button",
              { type: "button", class: "btn w-100 text-start d-flex align-items-center gap-2", dataset: { user: p.id }, onclick: async () => {
                if (await C.startDirect(p.id)) this.close();
              } },
              dot,
              el("bdi", { text: p.name })
            )
          );
        }
        if (mode === "members") {
          return el("li", { class: "list-group-item d-flex align-items-center gap-2" }, dot, el("bdi", { text: p.name }));
        }
        const id = `chat-pick-${p.id}`;
        return el(
          "li",
          { class: "list-group-item d-flex align-items-center gap-2" },
          el("input", { class: "form-check-input m-0", type: "checkbox", id, value: p.id, name: "members" }),
          el("label", { class: "form-check-label flex-grow-1 d-flex align-items-center gap-2", for: id }, dot, el("bdi", { text: p.name }))
        );
      });
      C.$("#chat-people-pick").replaceChildren(
        ...(items.length ? items : [el("li", { class: "list-group-item text-body-secondary small", text: _("Nobody to show.") })])
      );
    },
    async submit() {
      const picked = C.$$("#chat-people-pick input:checked").map((i) => i.value);
      const error = C.$("#chat-people-error");
      error.textContent = "";
      const titleInput = C.$("#chat-group-title");
      titleInput.classList.remove("is-invalid");
      try {
        let c;
        if (this.mode === "group") {
          c = await C.request("conversations/", {
            method: "POST",
            body: { kind: "group", title: titleInput.value, members: picked },
          });
        } else if (this.mode === "add") {
          if (!picked.length) {
            error.textContent = _("Choose at least one person.");
            return;
          }
          c = await C.request(`conversations/${S.openId}/members/`, { method: "POST", body: { members: picked } });
        } else return;
        C.upsertConversation(c);
        C.renderList();
        this.close();
        C.openConversation(c.id, { force: true });
      } catch (err) {
        if (err.fields && err.fields.title) {
          titleInput.classList.add("is-invalid");
          C.$("#chat-group-title-error").textContent = [].concat(err.fields.title).join(" ");
        } else error.textContent = err.message;
      }
    },
  };
  C.peopleDialog = dialog;
  dialog.node.addEventListener("shown.bs.modal", () => {
    if (dialog.closing) window.bootstrap.Modal.getOrCreateInstance(dialog.node).hide();
  });

  function bind(id, event, fn) {
    const node = document.getElementById(id);
    if (node) node.addEventListener(event, fn);
  }
  bind("chat-new-direct", "click", () => dialog.open("direct"));
  bind("chat-new-group", "click", () => dialog.open("group"));
  bind("chat-members-add", "click", () => dialog.open("add"));
  bind("chat-members-show", "click", () => dialog.open("members"));
  bind("chat-people-filter", "input", () => dialog.render(S.conversations.get(S.openId)));
  bind("chat-people-form", "submit", (event) => {
    event.preventDefault();
    dialog.submit();
  });
  bind("chat-leave", "click", async () => {
    const c = S.conversations.get(S.openId);
    if (!c || c.kind !== "group") return;
    if (!window.confirm(C.fmt(_("Leave the group “%(name)s”?"), { name: c.name }))) return;
    try {
      await C.request(`conversations/${c.id}/leave/`, { method: "POST" });
      C.removeConversation(c.id);
      C.openConversation(null);
    } catch (err) {
      C.emit("error", err.message);
    }
  });
  bind("chat-presence-toggle", "click", () => C.root.classList.toggle("chat-show-presence"));
  bind("chat-presence-close", "click", () => C.root.classList.remove("chat-show-presence"));
})();
