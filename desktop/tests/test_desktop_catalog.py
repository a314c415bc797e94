"""The catalog explorer and the stock levels, on the real server's demo data."""

from __future__ import annotations

from PySide6.QtCore import QObject

from conftest import click, find, screenshot, sign_in


def find_item(d, object_name: str):
    """A QML item by objectName, looked up through the visual tree: the delegates of
    views have no QObject parent, so findChild() does not see them."""
    todo = [d.window.contentItem()]
    while todo:
        item = todo.pop()
        if item.objectName() == object_name and item.isVisible():
            return item
        todo.extend(item.childItems())
    return None


def item(d, object_name: str):
    found = find_item(d, object_name)
    assert found is not None, f"no visible QML item named {object_name!r}"
    return found


def child(parent, object_name: str):
    todo = list(parent.childItems())
    while todo:
        found = todo.pop()
        if found.objectName() == object_name:
            return found
        todo.extend(found.childItems())
    raise AssertionError(f"no {object_name!r} in {parent.objectName()!r}")


def rows(model) -> list[dict]:
    return [model.get(i) for i in range(model.property("count"))]


def settled(model) -> bool:
    return not model.property("loading") and model.property("error") == ""


def open_module(qtbot, d, key: str) -> None:
    qtbot.waitUntil(lambda: find_item(d, f"menu_{key}") is not None, timeout=5_000)
    click(d.window, item(d, f"menu_{key}"))
    qtbot.waitUntil(lambda: d.window.findChild(QObject, f"{key}Screen") is not None, timeout=5_000)


def type_search(qtbot, field, text: str, model) -> None:
    """Type as a person would: the model reloads once, after the pause (debounced).

    Waits for the model's `loaded`, not for `loading` to be seen true: on a busy machine
    a short load could start and end between two looks."""
    with qtbot.waitSignal(model.loaded, timeout=15_000):
        field.setProperty("text", text)
        # The debounce has not fired yet: no request for each keystroke.
        assert not model.property("loading")
    qtbot.waitUntil(lambda: settled(model), timeout=15_000)


def test_catalog_search_and_category_filter(qtbot, desktop):
    sign_in(qtbot, desktop)
    open_module(qtbot, desktop, "catalog")
    grid = find(desktop.window, "catalogGrid")
    products = find(desktop.window, "catalogProducts")
    tree = find(desktop.window, "categoryTree")
    qtbot.waitUntil(lambda: products.property("count") > 0 and settled(products), timeout=15_000)
    qtbot.waitUntil(lambda: tree.property("count") > 1, timeout=15_000)
    everything = rows(products)
    assert grid.property("count") == len(everything)
    assert {"Croissant", "Café", "Canette Coca"} <= {r["name"] for r in everything}
    # The rows carry what the cards show: SKU, price, first image's thumbnail.
    cafe = next(r for r in everything if r["name"] == "Café")
    assert cafe["sku"] and cafe["sale_price"] == "2.50"
    assert cafe["thumbnail"]
    # Its picture comes from the API with the app's token (ApiPicture).
    picture = find(desktop.window, "picture_Café")
    qtbot.waitUntil(lambda: picture.property("loadStatus") == 1, timeout=15_000)  # 1: Ready
    # The tree starts with every product, then the domains with their categories.
    assert item(desktop, "categoryRow_all") is not None
    assert item(desktop, "categoryRow_Boulangerie") is not None
    screenshot(desktop.window, "catalog-en")

    # A search shows only the products that match it.
    type_search(qtbot, find(desktop.window, "catalogSearch"), "croissant", products)
    found = rows(products)
    assert sorted(r["name"] for r in found) == ["Croissant", "Croissant au pistache"]
    assert grid.property("count") == 2

    # Back to everything, then a category: only its products.
    type_search(qtbot, find(desktop.window, "catalogSearch"), "", products)
    assert products.property("count") == len(everything)
    with qtbot.waitSignal(products.loaded, timeout=15_000):
        click(desktop.window, item(desktop, "categoryRow_Viennoiseries"))
    qtbot.waitUntil(lambda: settled(products), timeout=15_000)
    narrowed = rows(products)
    assert 0 < len(narrowed) < len(everything)
    assert {r["category_name"] for r in narrowed} == {"Viennoiseries"}

    # A domain holds everything under it (its categories' sub-categories too).
    with qtbot.waitSignal(products.loaded, timeout=15_000):
        click(desktop.window, item(desktop, "categoryRow_Épicerie"))
    qtbot.waitUntil(lambda: settled(products), timeout=15_000)
    assert {r["category_name"] for r in rows(products)} == {
        "Boissons chaudes",
        "Boissons fraîches",
        "Confiserie",
    }


def test_category_tree_folds_and_unfolds(qtbot, desktop):
    sign_in(qtbot, desktop)
    open_module(qtbot, desktop, "catalog")
    tree = find(desktop.window, "categoryTree")
    qtbot.waitUntil(lambda: tree.property("count") > 1, timeout=15_000)
    shown = tree.property("count")
    # Sub-categories are folded at first; opening "Boissons" shows its two.
    assert find_item(desktop, "categoryRow_Boissons chaudes") is None
    boissons = item(desktop, "categoryRow_Boissons")
    toggle = child(boissons, "categoryToggle")
    assert toggle.property("visible")
    click(desktop.window, toggle)
    qtbot.waitUntil(lambda: tree.property("count") == shown + 2, timeout=2_000)
    item(desktop, "categoryRow_Boissons chaudes")
    # Folding a domain hides everything under it.
    click(desktop.window, child(item(desktop, "categoryRow_Épicerie"), "categoryToggle"))
    qtbot.waitUntil(lambda: tree.property("count") < shown, timeout=2_000)


def test_stock_levels_search_and_low_only(qtbot, desktop):
    sign_in(qtbot, desktop)
    # The catalog opens first; let its lists arrive before leaving it.
    qtbot.waitUntil(lambda: not desktop.api.busy, timeout=15_000)
    open_module(qtbot, desktop, "stock")
    levels = find(desktop.window, "stockLevels")
    stock_list = find(desktop.window, "stockList")
    qtbot.waitUntil(lambda: levels.property("count") > 0 and settled(levels), timeout=15_000)
    everything = rows(levels)
    assert stock_list.property("count") == len(everything)
    assert any(r["is_low"] for r in everything) and not all(r["is_low"] for r in everything)
    screenshot(desktop.window, "stock-en")

    # "Low stock only" keeps the low levels, all of them.
    with qtbot.waitSignal(levels.loaded, timeout=15_000):
        click(desktop.window, find(desktop.window, "stockLowOnly"))
    qtbot.waitUntil(lambda: settled(levels), timeout=15_000)
    low = rows(levels)
    assert 0 < len(low) < len(everything)
    assert all(r["is_low"] for r in low)
    assert len(low) == sum(1 for r in everything if r["is_low"])
    screenshot(desktop.window, "stock-low-en")

    # Search within them, then without the switch.
    click(desktop.window, find(desktop.window, "stockLowOnly"))
    qtbot.waitUntil(lambda: settled(levels) and levels.property("count") == len(everything))
    type_search(qtbot, find(desktop.window, "stockSearch"), "croissant", levels)
    names = {r["product"]["name"] for r in rows(levels)}
    assert names == {"Croissant", "Croissant au pistache"}


def test_catalog_in_arabic_is_mirrored(qtbot, desktop):
    sign_in(qtbot, desktop)
    desktop.desktop.setLanguage("ar")
    open_module(qtbot, desktop, "catalog")
    products = find(desktop.window, "catalogProducts")
    tree = find(desktop.window, "categoryTree")
    qtbot.waitUntil(lambda: products.property("count") > 0 and settled(products), timeout=15_000)
    qtbot.waitUntil(lambda: tree.property("count") > 1, timeout=15_000)
    assert desktop.desktop.rightToLeft
    # The tree is on the right in Arabic: mirrored with the rest of the window.
    grid = find(desktop.window, "catalogGrid")
    tree_x = tree.mapToScene(tree.boundingRect().center()).x()
    grid_x = grid.mapToScene(grid.boundingRect().center()).x()
    assert tree_x > grid_x
    qtbot.wait(300)  # the cards' images and fonts settle
    screenshot(desktop.window, "catalog-ar")


def test_counts_are_written_in_the_plural_they_need(qtbot, desktop):
    """Counts say "1 product", "2 products", never "product(s)": English has no
    translation file, so the app writes its plurals itself (desktop.plural)."""
    sign_in(qtbot, desktop)
    open_module(qtbot, desktop, "catalog")
    products = find(desktop.window, "catalogProducts")
    count = find(desktop.window, "catalogCount")
    qtbot.waitUntil(lambda: products.property("count") > 0 and settled(products), timeout=15_000)
    type_search(qtbot, find(desktop.window, "catalogSearch"), "croissant", products)
    assert count.property("text") == "2 products"
    type_search(qtbot, find(desktop.window, "catalogSearch"), "pistache", products)
    assert products.property("count") == 1
    assert count.property("text") == "1 product"
    plural = desktop.desktop.plural
    assert plural("1 purchase(s)", 1) == "1 purchase"
    assert plural("0 sale(s) to send", 0) == "0 sales to send"
    # A language with a translation file uses its own plural forms.
    desktop.desktop.setLanguage("fr")
    qtbot.waitUntil(lambda: count.property("text") == "1 produit", timeout=5_000)
    desktop.desktop.setLanguage("en")
    qtbot.waitUntil(lambda: count.property("text") == "1 product", timeout=5_000)
