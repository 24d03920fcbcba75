"""Who is looking (analyst, manager with a company code, or anonymous visitor), kept in the
session, and the sidebar box in which one signs in."""

from __future__ import annotations

import math
import os
import secrets
import time

import streamlit as st

from cx import config, fmt
from cx.access import (
    PUBLIC,
    AnalystMode,
    Throttle,
    Viewer,
    analyst_mode,
    client_address,
    local_client,
    normalise_access_code,
    verify_password,
)
from cx.i18n import t
from cx.ui import data, widgets

HASH_ENV = "CX_ANALYST_PASSWORD_HASH"
HASH_SECRET = "analyst_password_hash"
_ROLE = "_access_role"
_COMPANY = "_access_company"
SHOW_NAMES = "access_show_names"
_SESSION = "_access_session"


def configured_hash() -> str | None:
    """The analyst password hash: environment first, then `.streamlit/secrets.toml`."""
    if os.environ.get(HASH_ENV):
        return os.environ[HASH_ENV]
    try:
        value = st.secrets.get(HASH_SECRET)
    except FileNotFoundError:  # no secrets file at all
        return None
    return str(value) if value else None


def mode() -> AnalystMode:
    """How this session may become an analyst: local mode only for a browser on this machine
    (behind a forwarder, the analyst features are off as on a public server without a hash)."""
    found = analyst_mode(configured_hash(), st.get_option("server.address"))
    ip = st.context.ip_address
    ip = ip if isinstance(ip, str) else None  # no connection behind a scripted run (AppTest)
    if found == "local" and not local_client(ip, dict(st.context.headers)):
        return "off"
    return found


def viewer() -> Viewer:
    """The viewer of this session."""
    current = mode()
    role = st.session_state.get(_ROLE)
    if role == "manager" and st.session_state.get(_COMPANY):  # in local mode too: to try it
        return Viewer("manager", company=st.session_state[_COMPANY])
    if current == "local":
        return Viewer("analyst", local_mode=True,
                      show_names=bool(st.session_state.get(SHOW_NAMES, False)))
    if role == "analyst" and current == "password":
        return Viewer("analyst", show_names=bool(st.session_state.get(SHOW_NAMES, True)))
    return PUBLIC


def require_analyst(lang: str) -> Viewer:
    """Stop the page with an explanation unless the viewer is an analyst."""
    who = viewer()
    if not who.is_analyst:
        key = {"off": "analyst_off", "local": "back_to_analyst_first"}.get(mode(),
                                                                         "analyst_required")
        st.info(t(f"access.{key}", lang), icon=":material/lock:")
        st.stop()
    return who


def _sign_out() -> None:
    for key in (_ROLE, _COMPANY, SHOW_NAMES):
        st.session_state.pop(key, None)


@st.cache_resource(show_spinner=False)
def _throttle() -> Throttle:
    """Failed tries of the whole server (shared by its sessions)."""
    return Throttle()


def _trusted() -> tuple[str, ...]:
    """`CX_TRUSTED_PROXIES`, or none if it is not readable (`cx serve` refuses to start with
    the entry named; a worker started by hand must not fail a sign-in over it)."""
    try:
        return config.trusted_proxies()
    except ValueError:
        return ()


def _try_keys() -> list[str]:
    """Who is trying: this session, and the client's address when it is known (behind
    `cx serve`'s nginx, the address nginx saw)."""
    if _SESSION not in st.session_state:
        st.session_state[_SESSION] = secrets.token_hex(8)
    keys = [f"session:{st.session_state[_SESSION]}"]
    ip = st.context.ip_address
    address = client_address(ip if isinstance(ip, str) else None, dict(st.context.headers),
                             _trusted())
    return [*keys, f"address:{address}"] if address else keys


def _error_key(field: str) -> str:
    """Where the error of one field waits for the run that shows it under that field."""
    return f"_{field}_error"


def _throttled(lang: str, field: str) -> bool:
    """Too many failed tries from this session or address: say how long to wait."""
    wait = _throttle().wait(_try_keys(), time.monotonic())
    if wait > 0:
        st.session_state[_error_key(field)] = t("access.too_many", lang,
                                                seconds=math.ceil(wait))
    return wait > 0


def _try_company_code(lang: str, form: str) -> None:
    field = f"{form}_code_input"
    if _throttled(lang, field):
        return
    code = normalise_access_code(st.session_state.get(field, ""))
    company = data.store().company_for_access_code(code) if code else None
    if company is None:
        _throttle().failed(_try_keys(), time.monotonic())
        st.session_state[_error_key(field)] = t("access.wrong_code", lang)
        return
    _throttle().succeeded(_try_keys())
    st.session_state.update({_ROLE: "manager", _COMPANY: company})


def _try_password(lang: str) -> None:
    field = "access_password_input"
    if _throttled(lang, field):
        return
    stored = configured_hash()
    if stored and verify_password(st.session_state.get(field, ""), stored):
        _throttle().succeeded(_try_keys())
        st.session_state.update({_ROLE: "analyst", SHOW_NAMES: True})
        st.session_state.pop(_COMPANY, None)
    else:
        _throttle().failed(_try_keys(), time.monotonic())
        st.session_state[_error_key(field)] = t("access.wrong_password", lang)


def _field_error(field: str) -> None:
    """The error of `field`, right under its form (each field has its own)."""
    error = st.session_state.pop(_error_key(field), None)
    if error:
        st.error(error, icon=":material/error:")


def company_code_form(lang: str, form: str = "access", label: str | None = None) -> None:
    """A company's access code and its button; a valid code switches to the manager view of
    that company (`form` names the form: the sidebar's, the Scheda's)."""
    field = f"{form}_code_input"
    with st.form(f"{form}_company_form", border=False, enter_to_submit=True):
        st.text_input(label or t("access.company_code", lang), key=field, type="password",
                      help=t("access.company_code_help", lang))
        st.form_submit_button(t("access.sign_in", lang), key=f"{form}_code_submit",
                              on_click=_try_company_code, args=(lang, form))
    _field_error(field)


def _sign_in_forms(lang: str) -> None:
    with st.sidebar.expander(t("access.sign_in", lang), icon=":material/key:"):
        company_code_form(lang)
        if mode() == "password":
            with st.form("access_analyst_form", border=False, enter_to_submit=True):
                st.text_input(t("access.analyst_password", lang), key="access_password_input",
                              type="password")
                st.form_submit_button(t("access.sign_in", lang), key="access_analyst_submit",
                                      on_click=_try_password, args=(lang,))
            _field_error("access_password_input")


def _try_a_company(lang: str) -> None:
    """Local mode: the manager view of a company, by its access code, to see what they see."""
    with st.sidebar.expander(t("access.try_manager", lang), icon=":material/badge:"):
        st.caption(t("access.try_manager_help", lang))
        company_code_form(lang)


def access_panel(lang: str) -> None:
    """The sidebar box: who you are, how to sign in or out, the names switch for analysts."""
    who = viewer()
    sidebar = st.sidebar
    sidebar.subheader(t("access.title", lang))
    if who.is_analyst:
        sidebar.caption(t("access.local_mode" if who.local_mode else "access.analyst", lang))
        st.session_state.setdefault(SHOW_NAMES, who.show_names)
        sidebar.toggle(t("access.show_names", lang), key=SHOW_NAMES,
                       help=t("access.show_names_help", lang))
        if who.local_mode:
            _try_a_company(lang)
    elif who.role == "manager":
        assert who.company is not None  # a manager's Viewer is made only with its company
        sidebar.caption(fmt.single_stops(  # «S.p.A.» before the sentence's stop: one stop
            t("access.manager", lang, company=widgets.literal(who.company))))
    else:
        sidebar.caption(t("access.public", lang, k=config.privacy_k()))
        if mode() == "off":
            sidebar.caption(t("access.analyst_off", lang))
    if who.role == "public":
        _sign_in_forms(lang)
    elif who.role == "manager" and mode() == "local":  # trying the manager view: back
        sidebar.button(t("access.back_to_analyst", lang), on_click=_sign_out,
                       key="access_sign_out", icon=":material/undo:")
    elif not who.local_mode:
        sidebar.button(t("access.sign_out", lang), on_click=_sign_out, key="access_sign_out",
                       icon=":material/logout:")
