// The count sheet: after htmx swaps in the quantity field, select what is in it
// so the next keystrokes replace it (a tablet has no quick "select all").
document.addEventListener("htmx:afterSettle", () => {
  const field = document.querySelector("#count-panel [data-select-on-focus]");
  if (field) {
    field.focus();
    field.select();
  }
});
