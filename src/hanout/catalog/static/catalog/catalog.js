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
document.addEventListener("htmx:configRequest", (event) => {
  const elt = event.detail.elt;
  if (!elt || !elt.closest || !elt.closest("#explorer-filters")) {
    return;
  }
  const params = event.detail.parameters;
  for (const key of Object.keys(params)) {
    if (params[key] === "") {
      delete params[key];
    }
  }
});

// The category tree of the explorer drives the same filter form as the
// "Category" list: a click sets the list and lets htmx fetch the results, so
// the search, the other filters and the view are kept. Without JavaScript the
// links are ordinary links.
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

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-category-link]");
  const select = document.querySelector("#explorer-filters select[name=category]");
  if (!link || !select || !window.htmx) {
    return;
  }
  const value = link.getAttribute("data-category-link");
  if (![...select.options].some((option) => option.value === value)) {
    return;
  }
  event.preventDefault();
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  const panel = document.getElementById("category-tree");
  if (panel && panel.classList.contains("show") && window.bootstrap) {
    window.bootstrap.Offcanvas.getOrCreateInstance(panel).hide();
  }
});

document.addEventListener("change", (event) => {
  if (event.target.matches("#explorer-filters select[name=category]")) {
    markTree(event.target.value);
  }
});
