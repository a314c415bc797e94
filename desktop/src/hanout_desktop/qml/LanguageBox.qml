import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// The language selector of the sign-in page and of the top bars of the back office and
// of register mode.
//
// Material's ComboBox pads its text on the left only (Qt 6.8–6.11): mirrored, in Arabic,
// the text sat on the right edge of the box, over its outline, so the box looked as if it
// had lost its frame. The text gets the same margin on the side it starts from.
ComboBox {
    id: languageBox
    objectName: "languageBox"
    model: desktop.languages
    textRole: "name"
    valueRole: "code"
    Component.onCompleted: currentIndex = indexOfValue(desktop.language)
    onActivated: desktop.setLanguage(currentValue)
    // The language may change elsewhere (the other screen's box, a test).
    Connections {
        target: desktop
        function onLanguageChanged() {
            languageBox.currentIndex = languageBox.indexOfValue(desktop.language)
        }
    }
    Binding {
        target: languageBox.contentItem
        property: "leftPadding"
        value: languageBox.mirrored ? 0 : languageBox.Material.textFieldHorizontalPadding
    }
    Binding {
        target: languageBox.contentItem
        property: "rightPadding"
        value: languageBox.mirrored ? languageBox.Material.textFieldHorizontalPadding : 0
    }
    Accessible.name: qsTr("Language")
}
