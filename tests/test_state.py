"""Page parameters bound to the URL (state.bind_url), through real Streamlit."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "tests" / "apps" / "bound_widgets.py")


def test_values_come_from_the_url_once():
    at = AppTest.from_file(APP)
    at.query_params["domanda"] = "c"
    at.query_params["aziende"] = ["AZ-002", "nope", "AZ-003"]
    at.run()
    assert at.selectbox(key="domanda").value == "c"
    assert at.multiselect(key="aziende").value == ["AZ-002", "AZ-003"]


def test_unknown_values_fall_back_to_the_default():
    at = AppTest.from_file(APP)
    at.query_params["domanda"] = "x'); DROP"
    at.run()
    assert at.selectbox(key="domanda").value == "a"
    assert not at.exception


def test_choices_are_mirrored_into_the_url():
    at = AppTest.from_file(APP).run()
    assert "domanda" not in at.query_params, "defaults stay out of the URL"
    at.selectbox(key="domanda").set_value("b").run()
    at.multiselect(key="aziende").set_value(["AZ-001", "AZ-003"]).run()
    assert _url(at, "domanda") == ["b"]
    assert _url(at, "aziende") == ["AZ-001", "AZ-003"]
    at.selectbox(key="domanda").set_value("a").run()
    assert "domanda" not in at.query_params


def _url(at: AppTest, key: str) -> list[str]:
    value = at.query_params[key]
    return [value] if isinstance(value, str) else list(value)
