import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

ApplicationWindow {
    id: window
    objectName: "mainWindow"
    // The first size is what the screen offers (a 1366×768 laptop's, its task bar and
    // the window's title bar aside), up to 1280×800, and never below the minimum: a
    // fixed 1200×800 put the register's Total and the chat's composer below the screen.
    width: Math.max(minimumWidth, Math.min(1280, Screen.desktopAvailableWidth - 16))
    height: Math.max(minimumHeight, Math.min(800, Screen.desktopAvailableHeight - 40))
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    // A counter started with --register fills the screen (a kiosk).
    visibility: register.active && desktop.kiosk ? Window.FullScreen : Window.AutomaticVisibility
    title: session.state === "signedIn"
           ? qsTr("Hanout — %1").arg(session.me.business ? session.me.business.name : "")
           : qsTr("Hanout")

    // Arabic mirrors the whole layout; every child inherits it.
    LayoutMirroring.enabled: desktop.rightToLeft
    LayoutMirroring.childrenInherit: true
    Material.accent: Material.Teal
    Material.primary: Material.Teal
    font.family: desktop.language === "zgh" ? "Noto Sans Tifinagh" : font.family

    // A thin bar under the title while any call to the server is in flight.
    ProgressBar {
        objectName: "busyBar"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        z: 10
        indeterminate: true
        visible: api.busy
        height: 3
    }

    Loader {
        id: page
        anchors.fill: parent
        focus: true
        source: register.active ? "Register.qml"
                : session.state === "signedIn" ? "Shell.qml"
                : session.state.startsWith("signUp") ? "SignUp.qml" : "SignIn.qml"
    }
}
