"""Who sees what: password hashes, access codes, and the sign-in box in real Streamlit."""

import pytest
from streamlit.testing.v1 import AppTest

from cx.access import (
    PUBLIC,
    Viewer,
    analyst_mode,
    display_name,
    hash_password,
    normalise_access_code,
    verify_password,
)
from cx.cli import main
from cx.store import Store
from cx.store.codes import CODE_ALPHABET
from tests.conftest import ROOT


def test_password_hash_round_trip():
    stored = hash_password("una password lunga", iterations=1000)
    assert stored.startswith("pbkdf2_sha256$1000$")
    assert verify_password("una password lunga", stored)
    assert not verify_password("una password lunga ", stored)
    assert hash_password("x", iterations=1000) != hash_password("x", iterations=1000), "salted"


@pytest.mark.parametrize("stored", ["", "garbage", "md5$1$a$b", "pbkdf2_sha256$x$!!$!!"])
def test_malformed_hash_never_matches(stored):
    assert not verify_password("anything", stored)


@pytest.mark.parametrize(("hash_", "address", "expected"), [
    ("pbkdf2_sha256$1$a$b", "localhost", "password"),
    ("pbkdf2_sha256$1$a$b", "0.0.0.0", "password"),
    (None, "localhost", "local"),
    ("", "127.0.0.1", "local"),
    (None, "0.0.0.0", "off"),
    (None, None, "off"),  # Streamlit's default listens on every interface
])
def test_analyst_mode(hash_, address, expected):
    assert analyst_mode(hash_, address) == expected


def test_access_codes_are_distinct_and_readable():
    from cx.store.codes import code_numbers, draw_code_numbers, spell_codes

    numbers = draw_code_numbers(5000, code_numbers(["AAAA-AAAA"]))
    codes = spell_codes(numbers).astype(str).tolist()
    assert len(set(codes)) == 5000 and "AAAA-AAAA" not in codes
    assert code_numbers(codes).tolist() == numbers.tolist(), "spelling and reading agree"
    for code in codes[:50]:
        assert len(code) == 9 and code[4] == "-"
        assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
    assert normalise_access_code(" 7kq4 m2xp ") == "7KQ4-M2XP"


def test_display_name_by_viewer():
    assert display_name("Acme S.p.A.", "AZ-001", PUBLIC) == "AZ-001"
    assert display_name("Acme S.p.A.", "AZ-001", Viewer("analyst")) == "Acme S.p.A."
    assert display_name("Acme S.p.A.", "AZ-001", Viewer("analyst", show_names=False)) == "AZ-001"
    manager = Viewer("manager", company="Acme S.p.A.")
    assert display_name("Acme S.p.A.", "AZ-001", manager) == "Acme S.p.A."
    assert display_name("Beta S.r.l.", "AZ-002", manager) == "AZ-002"


def test_every_company_gets_one_private_code(store):
    codes = store.query("access_codes")
    assert len(codes) == store.table_counts()["companies"] == 200
    assert codes["access_code"].is_unique
    row = codes.iloc[7]
    assert store.company_for_access_code(row["access_code"]) == row["company"]
    assert store.company_for_access_code("ZZZZ-ZZZZ") is None


def test_codes_survive_reopening(sample_db):
    with Store.open(sample_db) as s:
        before = s.query("access_codes")
    with Store.open(sample_db) as s:
        assert s.query("access_codes").equals(before)


def test_hash_password_command(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("una password lunga\n"))
    assert main(["hash-password"]) == 0
    assert verify_password("una password lunga", capsys.readouterr().out.strip())
    monkeypatch.setattr("sys.stdin", io.StringIO("corta\n"))
    assert main(["hash-password"]) == 1


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def _captions(at: AppTest) -> str:
    """The captions as read (a company name is escaped for Markdown)."""
    return "\n".join(str(c.value).replace("\\", "") for c in at.caption)


def test_local_mode_grants_the_analyst_role_visibly(app_env, server_address, monkeypatch):
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    server_address("localhost")
    at = _app().run()
    assert "Modalità locale" in _captions(at)
    assert at.toggle(key="access_show_names").value is False, "names hidden until asked"


def test_analyst_features_off_beyond_localhost_without_a_hash(app_env, server_address,
                                                              monkeypatch):
    monkeypatch.delenv("CX_ANALYST_PASSWORD_HASH", raising=False)
    server_address("0.0.0.0")
    at = _app().run()
    assert "CX_ANALYST_PASSWORD_HASH" in _captions(at)
    assert not at.text_input(key="access_code_input").value
    assert len(at.text_input) == 1, "only the company code can be entered"


def test_password_and_company_code_sign_in(app_env, server_address, monkeypatch):
    stored = hash_password("password giusta", iterations=1000)
    monkeypatch.setenv("CX_ANALYST_PASSWORD_HASH", stored)
    server_address("0.0.0.0")
    at = _app().run()
    assert "Visitatore" in _captions(at)

    at.text_input(key="access_password_input").set_value("sbagliata")
    at.button(key="access_analyst_submit").click().run()
    assert "Password errata." in [e.value for e in at.error]

    at.text_input(key="access_password_input").set_value("password giusta")
    at.button(key="access_analyst_submit").click().run()
    assert "Analista" in _captions(at)
    assert at.toggle(key="access_show_names").value is True
    at.button(key="access_sign_out").click().run()
    assert "Visitatore" in _captions(at)

    with Store.open(app_env) as s:
        row = s.query("access_codes").iloc[3]
    at.text_input(key="access_code_input").set_value(row["access_code"].lower().replace("-", " "))
    at.get("form_submit_button")[0].click().run()
    assert row["company"] in _captions(at)
    assert not at.exception


def test_drawn_codes_skip_taken_ones_and_repeats(monkeypatch):
    import numpy as np

    import cx.store.codes as access

    taken = access.code_numbers(["7KQ4-M2XP"])
    draws = iter([[int(taken[0]), 5, 5, 9], [11, 9, 12, 13, 14, 15]])  # the OS's "random" bytes

    def token_bytes(n: int) -> bytes:
        numbers = next(draws)
        return np.array(numbers + [0] * (n // 8 - len(numbers)), dtype=np.uint64).tobytes()

    monkeypatch.setattr(access.secrets, "token_bytes", token_bytes)
    drawn = access.draw_code_numbers(4, taken)
    assert drawn.tolist() == [5, 9, 0, 11], "taken and repeated numbers are drawn again"
    assert access.spell_codes(np.array([0, 30 * 31**7 + 1])).astype(str).tolist() == [
        "2222-2222", "Z222-2223"]


def test_throttle_delays_double_after_the_free_tries():
    """Issue 17 (15): unlimited tries at about 0.75 s each; now three free failures, then
    1, 2, 4 … seconds (at most 300) before the next try, per session and per address."""
    from cx.access import Throttle

    gate = Throttle(free=3, first=1.0, longest=300.0, free_by_kind={})
    keys = ["session:a", "address:10.0.0.9"]
    for now in (1.0, 2.0, 3.0):
        gate.failed(keys, now)
        assert gate.wait(keys, now) == 0
    gate.failed(keys, 10.0)
    assert gate.wait(keys, 10.0) == 1.0 and gate.wait(keys, 10.5) == 0.5
    gate.failed(["address:10.0.0.9"], 11.0)  # another session, same address
    assert gate.wait(["session:b", "address:10.0.0.9"], 11.0) == 2.0
    assert gate.wait(["session:c"], 11.0) == 0, "an unrelated session is not slowed"
    gate.succeeded(keys)
    assert gate.wait(["session:a"], 11.0) == 0
    assert gate.wait(keys, 11.0) == 2.0, "a success does not forgive the address"


def test_an_address_is_a_room_and_failures_are_forgotten():
    """An address gets 30 free failures (a room behind one NAT shares it), a session 3; both
    are forgotten 15 minutes after their last failure."""
    from cx.access import Throttle

    gate = Throttle()
    room = "address:203.0.113.7"
    for i in range(30):  # thirty people, one typo each
        gate.failed([f"session:{i}", room], 100.0 + i)
        assert gate.wait([f"session:{i + 100}", room], 100.0 + i) == 0
    gate.failed(["session:x", room], 130.0)
    assert gate.wait(["session:y", room], 130.0) == 1.0, "the 31st failure: everyone waits 1 s"
    assert gate.wait(["session:y", room], 130.0 + 900.0) == 0, "forgotten after 15 minutes"
    gate.failed(["session:x", room], 1031.0)
    assert gate.wait([room], 1031.0) == 0, "counting again from one"
    for now in (1.0, 2.0, 3.0, 4.0):
        gate.failed(["session:s"], now)
    assert gate.wait(["session:s"], 4.0) == 1.0
    assert gate.wait(["session:s"], 4.0 + 900.0) == 0


def test_a_scan_of_many_addresses_does_not_grow_the_throttle_for_ever():
    from cx.access import Throttle

    gate = Throttle(forget=60.0)
    for i in range(10_001):
        gate.failed([f"address:10.{i // 65536}.{i // 256 % 256}.{i % 256}"], float(i % 10))
    gate.failed(["address:198.51.100.1"], 100.0)  # the old ones are past forgetting
    assert len(gate._failures) == 1


@pytest.mark.parametrize(("ip", "headers", "address"), [
    ("203.0.113.7", {}, "203.0.113.7"),  # a remote browser straight to Streamlit
    ("203.0.113.7", {"X-Real-IP": "10.0.0.1"}, "203.0.113.7"),  # its headers not believed
    (None, {"X-Real-IP": "198.51.100.4"}, "198.51.100.4"),  # behind cx serve's nginx
    (None, {"x-real-ip": " 198.51.100.4 "}, "198.51.100.4"),
    (None, {"X-Forwarded-For": "198.51.100.4"}, None),  # written by anyone: not used
    (None, {}, None),  # a browser on this machine, or a scripted run
])
def test_the_address_of_a_try_is_the_one_the_proxy_saw(ip, headers, address):
    from cx.access import client_address

    assert client_address(ip, headers) == address


def test_a_proxy_in_another_container_is_believed_only_when_trusted(monkeypatch):
    """compose: nginx in its own container reaches the workers from 172.18.0.5; untrusted,
    every visitor would be «172.18.0.5» and one visitor's typos would slow everyone."""
    from cx import config
    from cx.access import client_address

    seen = {"X-Real-IP": "198.51.100.4"}
    assert client_address("172.18.0.5", seen) == "172.18.0.5"
    monkeypatch.setenv("CX_TRUSTED_PROXIES", " 10.0.0.0/8 , 172.16.0.0/12,, fd00::/8")
    trusted = config.trusted_proxies()
    assert trusted == ("10.0.0.0/8", "172.16.0.0/12", "fd00::/8")
    assert client_address("172.18.0.5", seen, trusted) == "198.51.100.4"
    assert client_address("172.18.0.5", {}, trusted) == "172.18.0.5", "no header: the peer"
    assert client_address("203.0.113.7", seen, trusted) == "203.0.113.7"
    assert client_address("fd00::7", seen, trusted) == "198.51.100.4"
    monkeypatch.setenv("CX_TRUSTED_PROXIES", "10.0.0.0/8,il bilanciatore")
    with pytest.raises(ValueError, match="il bilanciatore"):
        config.trusted_proxies()
    monkeypatch.delenv("CX_TRUSTED_PROXIES")
    assert config.trusted_proxies() == ()


def test_too_many_wrong_passwords_must_wait(app_env, server_address, monkeypatch):
    stored = hash_password("password giusta e lunga", iterations=1000)
    monkeypatch.setenv("CX_ANALYST_PASSWORD_HASH", stored)
    server_address("0.0.0.0")
    at = _app().run()
    for _ in range(4):
        at.text_input(key="access_password_input").set_value("sbagliata")
        at.button(key="access_analyst_submit").click().run()
    at.text_input(key="access_password_input").set_value("password giusta e lunga")
    at.button(key="access_analyst_submit").click().run()
    assert any("Troppi tentativi non riusciti" in e.value for e in at.error)
    assert "Visitatore" in _captions(at), "not signed in while it must wait"


def test_hash_password_asks_twice_on_a_terminal(monkeypatch, capsys):
    answers = iter(["una password lunga", "una password diversa"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["hash-password"]) == 1
    assert "non coincidono" in capsys.readouterr().err
    answers = iter(["una password lunga", "una password lunga"])
    assert main(["hash-password"]) == 0
    assert verify_password("una password lunga", capsys.readouterr().out.strip())


def test_hash_password_needs_twelve_characters(monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("undici car.\n"))  # 11 characters
    assert main(["hash-password"]) == 1


@pytest.mark.parametrize(("ip", "headers", "local"), [
    (None, {}, True),  # a script run without a browser (AppTest)
    (None, {"Host": "localhost:8501"}, True),
    (None, {"Host": "127.0.0.1:8501"}, True),
    (None, {"host": "[::1]:8501"}, True),
    ("192.168.1.20", {"Host": "localhost:8501"}, False),  # a remote address
    (None, {"Host": "192.168.1.5:8600"}, False),  # a TCP forwarder on another address
    (None, {"Host": "osservatorio.example:443"}, False),
    (None, {"Host": "localhost:8501", "X-Forwarded-For": "203.0.113.7"}, False),  # a proxy
    (None, {"Host": "localhost", "Forwarded": "for=203.0.113.7"}, False),
])
def test_local_mode_only_for_a_browser_on_this_machine(ip, headers, local):
    """Issue 17 (14): local mode behind any TCP forwarder gave remote clients analyst rights."""
    from cx.access import local_client

    assert local_client(ip, headers) is local
