"""Signing in and out, and who is signed in: the `session` object QML sees.

The steps are the web's: a password (or a one-time code sent by email), then a
TOTP code when the person turned two-factor on. Registering a store takes the
web's two steps too: the store (`POST /api/v1/signup/`, which checks it with the
web's form and opens a sign-up session), then its manager (allauth's headless
signup with that session), after which the person confirms their email address
from the link Hanout sends and signs in. They run on allauth's headless
API for apps (`/_allauth/app/v1/`), which keeps the server's rate limits. Once
signed in, the app makes itself a personal API token named after this computer
(`POST /api/v1/tokens/`, listed and revocable on the person's profile page),
ends the sign-in session, and from then on sends only that token, also on the
WebSocket. Signing out revokes the token.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QCoreApplication, QObject, QSettings, Signal, Slot

from hanout_desktop.api import APP_AUTH_PREFIX, ApiClient

# What QML shows: one of these.
SIGNED_OUT = "signedOut"
NEEDS_CODE = "code"  # a one-time code was emailed; type it
NEEDS_TOTP = "totp"  # the password was right; the authenticator's code is next
SIGNED_IN = "signedIn"
SIGN_UP_STORE = "signUpStore"  # registering a store, step one: the store
SIGN_UP_MANAGER = "signUpManager"  # step two: who manages it
SIGN_UP_SENT = "signUpSent"  # done: confirm the email address, then sign in

# The modules a desktop user can open, in the order of the menu. Each maps to
# the server's module whose access level decides whether it shows and whether
# it can be changed. (The register is its own mode, not a menu entry.)
MODULES = [
    ("catalog", "catalog"),
    ("stock", "stock"),
    ("expenses", "expenses"),
    ("suppliers", "suppliers"),
    ("customers", "customers"),
    ("staff", "staff"),
    ("sponsorship", "sponsorship"),
    ("dayReport", "reports"),
    ("chat", "chat"),
]


# Who may pair a computer as a register, besides anyone with Settings: full.
PAIRING_ROLES = ("owner", "manager")


SCREENS = Path(__file__).resolve().parent / "qml" / "screens"


def screen_exists(key: str) -> bool:
    """A module shows in the menu once its screen is part of the app."""
    return (SCREENS / f"{key[0].upper()}{key[1:]}Screen.qml").exists()


class Session(QObject):
    stateChanged = Signal()
    busyChanged = Signal()
    errorChanged = Signal()
    meChanged = Signal()
    serverUrlChanged = Signal()

    def __init__(self, api: ApiClient, settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.api = api
        self.settings = settings or QSettings()
        self._state = SIGNED_OUT
        self._busy = False
        self._error = ""
        self._field_errors: dict[str, str] = {}
        self._me: dict[str, Any] = {}
        self._token_id = ""
        self._pending_session = ""  # the allauth session between two steps
        self._email = ""
        self._signup_choices: dict[str, Any] = {}
        self._signup_store: dict[str, Any] = {}
        saved = self.settings.value("server/url", "")
        if saved:
            self.api.set_base_url(str(saved))
        api.baseUrlChanged.connect(self.serverUrlChanged)
        api.unauthorized.connect(self._lost_token)

    # --- properties -----------------------------------------------------------------------
    def _get_state(self) -> str:
        return self._state

    state = Property(str, _get_state, notify=stateChanged)

    def _get_busy(self) -> bool:
        return self._busy

    busy = Property(bool, _get_busy, notify=busyChanged)

    def _get_error(self) -> str:
        return self._error

    error = Property(str, _get_error, notify=errorChanged)

    def _get_field_errors(self) -> dict:
        return dict(self._field_errors)

    fieldErrors = Property("QVariantMap", _get_field_errors, notify=errorChanged)

    def _get_me(self) -> dict:
        return dict(self._me)

    me = Property("QVariantMap", _get_me, notify=meChanged)

    def _get_server_url(self) -> str:
        return self.api.baseUrl

    serverUrl = Property(str, _get_server_url, notify=serverUrlChanged)

    def _get_email(self) -> str:
        return self._email

    email = Property(str, _get_email, notify=stateChanged)

    def _get_signup_choices(self) -> dict:
        return dict(self._signup_choices)

    signUpChoices = Property("QVariantMap", _get_signup_choices, notify=stateChanged)

    def _get_signup_store(self) -> dict:
        return dict(self._signup_store)

    signUpStore = Property("QVariantMap", _get_signup_store, notify=stateChanged)

    def _get_modules(self) -> list:
        levels = (self._me or {}).get("levels") or {}
        return [
            {"key": key, "module": module, "level": levels.get(module)}
            for key, module in MODULES
            if levels.get(module) in ("read", "full") and screen_exists(key)
        ]

    modules = Property("QVariantList", _get_modules, notify=meChanged)

    # --- what QML asks ----------------------------------------------------------------------
    @Slot(str, result=bool)
    def canRead(self, module: str) -> bool:
        return ((self._me or {}).get("levels") or {}).get(module) in ("read", "full")

    @Slot(str, result=bool)
    def canWrite(self, module: str) -> bool:
        return ((self._me or {}).get("levels") or {}).get(module) == "full"

    def _get_can_pair_registers(self) -> bool:
        """May this person make a computer one of the business's registers? The server's
        rule (pos.services_register.can_manage_registers): full access to Settings, or an
        owner or a manager with full access to Register. A cashier's Register: full is
        for selling at a paired computer, not for pairing one."""
        me = self._me or {}
        levels = me.get("levels") or {}
        role = (me.get("membership") or {}).get("role")
        return levels.get("settings") == "full" or (
            role in PAIRING_ROLES and levels.get("register") == "full"
        )

    canPairRegisters = Property(bool, _get_can_pair_registers, notify=meChanged)

    @Slot(str)
    def setServerUrl(self, url: str) -> None:
        self.api.set_base_url(url)
        self.settings.setValue("server/url", self.api.baseUrl)

    @Slot(str, str)
    def signIn(self, email: str, password: str) -> None:
        self._email = email.strip()
        if not self._email or not password:
            self._fail(
                QCoreApplication.translate(
                    "Session", "Enter your email address and your password."
                ),
                {
                    **(
                        {"email": QCoreApplication.translate("Session", "Required.")}
                        if not self._email
                        else {}
                    ),
                    **(
                        {"password": QCoreApplication.translate("Session", "Required.")}
                        if not password
                        else {}
                    ),
                },
            )
            return
        self._start()
        call = self._auth("auth/login", {"email": self._email, "password": password})
        call.done.connect(self._signed_in)
        self._on_auth_failure(call)

    @Slot(str)
    def requestCode(self, email: str) -> None:
        self._email = email.strip()
        if not self._email:
            self._fail(
                QCoreApplication.translate("Session", "Enter your email address."),
                {"email": QCoreApplication.translate("Session", "Required.")},
            )
            return
        self._start()
        call = self._auth("auth/code/request", {"email": self._email})
        call.done.connect(self._signed_in)  # never: the server always asks for the code
        self._on_auth_failure(call)

    @Slot(str)
    def confirmCode(self, code: str) -> None:
        self._start()
        call = self._auth("auth/code/confirm", {"code": code.strip()}, self._pending_session)
        call.done.connect(self._signed_in)
        self._on_auth_failure(call)

    @Slot(str)
    def authenticateTotp(self, code: str) -> None:
        self._start()
        call = self._auth(
            "auth/2fa/authenticate", {"code": code.strip().replace(" ", "")}, self._pending_session
        )
        call.done.connect(self._signed_in)
        self._on_auth_failure(call)

    @Slot()
    def cancel(self) -> None:
        """Back to the first step (from the code or TOTP step, or from registering)."""
        self._pending_session = ""
        self._signup_store = {}
        self._set_error("", {})
        self._set_state(SIGNED_OUT)

    # --- registering a store ----------------------------------------------------------------
    @Slot()
    def startSignUp(self) -> None:
        """Step one's form, with the currencies, countries and time zones the server offers."""
        self._pending_session = ""
        self._signup_store = {}
        self._set_error("", {})
        self._set_state(SIGN_UP_STORE)
        self._start()
        call = self.api.call("GET", "signup/")
        call.done.connect(self._got_signup_choices)
        call.failed.connect(self._step_failed)

    def _got_signup_choices(self, choices: dict) -> None:
        self._signup_choices = choices or {}
        self._set_busy(False)
        self.stateChanged.emit()

    @Slot("QVariantMap")
    def submitStore(self, store: dict) -> None:
        """Step one: the server checks the store and keeps it for step two."""
        self._start()
        fields = (
            "name",
            "currency",
            "country",
            "time_zone",
            "shop_name",
            "address",
            "language",
            "referral_code",
        )
        body = {key: str(store.get(key) or "").strip() for key in fields}
        call = self.api.call("POST", "signup/", body)
        call.done.connect(self._store_accepted)
        call.failed.connect(self._step_failed)

    def _store_accepted(self, answer: dict) -> None:
        self._pending_session = answer.get("session_token", "")
        self._signup_store = {**(answer.get("store") or {}), "sponsor": answer.get("sponsor")}
        self._set_busy(False)
        self._set_error("", {})
        self._set_state(SIGN_UP_MANAGER)

    @Slot()
    def backToStore(self) -> None:
        """From step two to step one (the store as typed stays in the form)."""
        self._set_error("", {})
        self._set_state(SIGN_UP_STORE)

    @Slot("QVariantMap")
    def submitManager(self, manager: dict) -> None:
        """Step two: the manager's account, on allauth's headless signup (its password
        rules, rate limit and confirmation email), with step one's session."""
        email = str(manager.get("email") or "").strip()
        password = str(manager.get("password") or "")
        if password != str(manager.get("password2") or ""):
            self._fail(
                QCoreApplication.translate("Session", "The two passwords are not the same."),
                {"password2": QCoreApplication.translate("Session", "Type the same password.")},
            )
            return
        self._email = email
        self._start()
        body = {
            "email": email,
            "password": password,
            "full_name": str(manager.get("full_name") or "").strip(),
            "phone": str(manager.get("phone") or "").strip(),
        }
        call = self._auth("auth/signup", body, self._pending_session)
        call.done.connect(self._signed_up)
        call.failed.connect(lambda m, s, f: self._signup_failed(call, m, s, f))

    def _signed_up(self, body: dict) -> None:
        # Only without email confirmation would allauth sign the person in at once.
        self._signed_in(body)

    def _signup_failed(self, call, message: str, status: int, fields: dict) -> None:
        body = _json(call.raw_body)
        if status == 401 and isinstance(body, dict):
            pending = _pending_flows(body)
            if "verify_email" in pending:
                # Registered: the business exists; the link in the email confirms the address.
                self._pending_session = ""
                self._set_busy(False)
                self._set_error("", {})
                self._set_state(SIGN_UP_SENT)
                return
        if status in (403, 410):
            # The sign-up session ended (expired, or already used): step one again.
            self._pending_session = ""
            self._set_state(SIGN_UP_STORE)
            message = QCoreApplication.translate(
                "Session", "This registration has expired. Check the store and continue again."
            )
            fields = {}
        self._fail(message, fields)

    @Slot()
    def signOut(self) -> None:
        if self._token_id:
            # Revoke the token; sign out here whether or not the server hears it.
            self.api.call("DELETE", f"tokens/{self._token_id}/")
        self.api.token = ""
        self._token_id = ""
        self._me = {}
        self.meChanged.emit()
        self._set_error("", {})
        self._set_state(SIGNED_OUT)

    @Slot()
    def reloadMe(self) -> None:
        call = self.api.call("GET", "me/")
        call.done.connect(self._got_me)

    # --- the steps ------------------------------------------------------------------------
    def _auth(self, path: str, body: dict, session_token: str = ""):
        headers = {"X-Session-Token": session_token} if session_token else None
        return self.api.call("POST", APP_AUTH_PREFIX + path, body, headers=headers)

    def _on_auth_failure(self, call) -> None:
        call.failed.connect(lambda m, s, f: self._auth_failed(call, m, s, f))

    def _signed_in(self, body: dict) -> None:
        session_token = ((body or {}).get("meta") or {}).get("session_token", "")
        self._pending_session = ""
        name = QCoreApplication.translate("Session", "Hanout desktop on %1").replace(
            "%1", socket.gethostname() or "this computer"
        )
        call = self.api.call(
            "POST", "tokens/", {"name": name[:80]}, headers={"X-Session-Token": session_token}
        )
        call.done.connect(lambda made: self._got_token(made, session_token))
        call.failed.connect(self._step_failed)

    def _got_token(self, made: dict, session_token: str) -> None:
        self.api.token = made["token"]
        self._token_id = made["id"]
        # The sign-in session is no longer needed: only the token remains.
        self.api.call(
            "DELETE", APP_AUTH_PREFIX + "auth/session", headers={"X-Session-Token": session_token}
        )
        call = self.api.call("GET", "me/")
        call.done.connect(self._got_me)
        call.failed.connect(self._step_failed)

    def _got_me(self, me: dict) -> None:
        self._me = me or {}
        self.meChanged.emit()
        self._set_busy(False)
        self._set_error("", {})
        self._set_state(SIGNED_IN)

    def _auth_failed(self, call, message: str, status: int, fields: dict) -> None:
        body = _json(call.raw_body)
        if status == 401 and isinstance(body, dict):
            # Not an error: allauth says which step is next.
            pending = _pending_flows(body)
            self._pending_session = (body.get("meta") or {}).get("session_token", "")
            if "mfa_authenticate" in pending:
                self._set_busy(False)
                self._set_error("", {})
                self._set_state(NEEDS_TOTP)
                return
            if "login_by_code" in pending:
                self._set_busy(False)
                self._set_error("", {})
                self._set_state(NEEDS_CODE)
                return
            if "verify_email" in pending:
                self._fail(
                    QCoreApplication.translate(
                        "Session",
                        "Confirm your email address first: open the link in the email Hanout sent you, then sign in again.",
                    ),
                    {},
                )
                return
            message = message or QCoreApplication.translate(
                "Session", "The email address or the password is not right."
            )
        if status == 409:
            # The pending step expired (or was already used): start again.
            self._pending_session = ""
            self._set_state(SIGNED_OUT)
            message = QCoreApplication.translate("Session", "That step has expired. Sign in again.")
        self._fail(message, fields)

    def _step_failed(self, message: str, status: int, fields: dict) -> None:
        self._fail(message, fields)

    def _lost_token(self) -> None:
        if self._state == SIGNED_IN:
            self.api.token = ""
            self._token_id = ""
            self._me = {}
            self.meChanged.emit()
            self._set_state(SIGNED_OUT)
            self._set_error(
                QCoreApplication.translate(
                    "Session", "You were signed out: the token was revoked or your access ended."
                ),
                {},
            )

    # --- state ------------------------------------------------------------------------------
    def _start(self) -> None:
        self._set_error("", {})
        self._set_busy(True)

    def _fail(self, message: str, fields: dict) -> None:
        self._set_busy(False)
        self._set_error(message, fields)

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit()

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit()

    def _set_error(self, message: str, fields: dict) -> None:
        self._error = message
        self._field_errors = dict(fields)
        self.errorChanged.emit()


def _pending_flows(body: dict) -> list[str]:
    """The steps allauth's 401 says are next (`mfa_authenticate`, `verify_email`, …)."""
    return [
        flow.get("id")
        for flow in (body.get("data") or {}).get("flows", [])
        if flow.get("is_pending")
    ]


def _json(raw: bytes) -> Any:
    """The decoded body of a failed call (allauth's 401 carries the next step)."""
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return None
