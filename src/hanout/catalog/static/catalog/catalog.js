// Catalog pages. No inline scripts (CSP): behaviour hangs on data- attributes.

// Barcode rows of the product form (a Django formset): "Add a barcode" copies the
// empty row from its <template>, numbering it like the formset expects; "Remove"
// ticks the row's DELETE box and hides it, so the server drops it on save.
document.addEventListener("click", (event) => {
  const add = event.target.closest("[data-add-row]");
  if (add) {
    event.preventDefault();
    const prefix = add.getAttribute("data-add-row");
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const template = document.getElementById(`${prefix}-empty-row`);
    const body = document.getElementById(`${prefix}-rows`);
    if (!total || !template || !body) {
      return;
    }
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const input = body.lastElementChild && body.lastElementChild.querySelector("input[type=text], input:not([type])");
    if (input) {
      input.focus();
    }
    return;
  }
  const remove = event.target.closest("[data-remove-row]");
  if (remove) {
    event.preventDefault();
    const row = remove.closest("[data-row]");
    if (!row) {
      return;
    }
    const box = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    if (box) {
      box.checked = true;
    }
    row.hidden = true;
  }
});

// The explorer's filters: leave empty fields out of the request, so the address
// pushed into the history stays short (?q=cafe&view=table, not ten empty keys).
// The tree's "open" buttons send the filters too (their links keep them).
document.addEventListener("htmx:configRequest", (event) => {
  const elt = event.detail.elt;
  if (!elt || !elt.closest || !elt.closest("#explorer-filters, [data-tree-toggle]")) {
    return;
  }
  const params = event.detail.parameters;
  for (const key of Object.keys(params)) {
    if (params[key] === "") {
      delete params[key];
    }
  }
});

// The category tree of the explorer is the category filter: the page shows the
// domains and the open branch, other branches open on demand (htmx). A click
// on a category sets the form's hidden "category" field and lets htmx fetch the
// results, so the search, the other filters and the view are kept; the chosen
// category shows as a chip beside the filters, whose cross clears it. Without
// JavaScript the links are ordinary links (and open their branch).
function markTree(value) {
  document.querySelectorAll("[data-category-link]").forEach((link) => {
    const current = link.getAttribute("data-category-link") === value;
    link.classList.toggle("active", current);
    if (current) {
      link.setAttribute("aria-current", "true");
    } else {
      link.removeAttribute("aria-current");
    }
  });
}

function showChip(name) {
  const chip = document.querySelector("[data-category-chip]");
  if (!chip) {
    return;
  }
  const label = chip.querySelector("[data-category-chip-name]");
  if (label) {
    label.textContent = name || "";
  }
  chip.hidden = !name;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-category-link], [data-category-clear]");
  const input = document.querySelector("#explorer-filters input[name=category]");
  if (!link || !input || !window.htmx) {
    return;
  }
  event.preventDefault();
  const value = link.getAttribute("data-category-link") || "";
  input.value = value;
  markTree(value);
  showChip(value ? link.getAttribute("data-category-name") : "");
  input.dispatchEvent(new Event("change", { bubbles: true }));
  // Choosing a closed branch opens it, as the page would without JavaScript.
  const row = link.closest("[data-tree-row]");
  const toggle = row && row.querySelector("[data-tree-toggle]");
  if (toggle) {
    toggle.click();
  }
  const panel = document.getElementById("category-tree");
  if (panel && panel.classList.contains("show") && window.bootstrap) {
    window.bootstrap.Offcanvas.getOrCreateInstance(panel).hide();
  }
});
