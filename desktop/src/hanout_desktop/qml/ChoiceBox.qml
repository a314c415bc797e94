import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// A ComboBox for the server's long lists (countries, currencies, time zones):
// - its entries are drawn as plain text, so "Bosnia & Herzegovina" keeps its "&" (a
//   button's text takes "&" for a keyboard shortcut mark and showed "_");
// - typing a few letters goes to the first entry that starts with them (then to one
//   that contains them), case and accents aside: "bos", "new z", "mar". A pause of a
//   second starts a new search. The built-in search only knew the first letter.
ComboBox {
    id: box

    property string typed: ""
    readonly property bool listOpen: popup.opened

    function fold(text) {
        return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    }

    // The entry for what has been typed so far, or -1.
    function match(text) {
        const wanted = fold(text)
        let containing = -1
        for (let i = 0; i < count; ++i) {
            const label = fold(textAt(i))
            if (label.startsWith(wanted))
                return i
            if (containing < 0 && label.indexOf(wanted) >= 0)
                containing = i
        }
        return containing
    }

    function typeAhead(key) {
        typed += key
        typedTimer.restart()
        const found = match(typed)
        if (found < 0)
            return
        if (popup.visible) {
            // The open list: move its highlight there (Enter chooses it).
            while (highlightedIndex < found) incrementCurrentIndex()
            while (highlightedIndex > found) decrementCurrentIndex()
            popup.contentItem.positionViewAtIndex(found, ListView.Center)
        } else if (found !== currentIndex) {
            currentIndex = found
            activated(found)
        }
    }

    // Material pads the text on the left only: mirrored (Arabic), it sat on the outline.
    Binding {
        target: box.contentItem
        property: "leftPadding"
        value: box.mirrored ? 0 : box.Material.textFieldHorizontalPadding
    }
    Binding {
        target: box.contentItem
        property: "rightPadding"
        value: box.mirrored ? box.Material.textFieldHorizontalPadding : 0
    }

    Timer { id: typedTimer; interval: 1000; onTriggered: box.typed = "" }

    Keys.onPressed: (event) => {
        const printable = event.text.length === 1 && event.text >= " "
                          && !(event.modifiers & (Qt.ControlModifier | Qt.AltModifier))
        if (!printable || (event.text === " " && box.typed === ""))
            return  // the space opens the list, as before
        box.typeAhead(event.text)
        event.accepted = true
    }

    delegate: ItemDelegate {
        id: option
        required property int index
        objectName: box.objectName + "_option"
        width: ListView.view ? ListView.view.width : box.width
        highlighted: box.highlightedIndex === index
        contentItem: Label {
            text: box.textAt(option.index)
            textFormat: Text.PlainText
            elide: Text.ElideRight
            verticalAlignment: Text.AlignVCenter
            horizontalAlignment: Text.AlignLeft
        }
    }
}
