"""The follow-along page (issue 23): the stage deck as a static site that needs no Streamlit
session, served by the proxy behind the closing slide's QR code. `build` writes one, `refresh`
rebuilds it when the data changed; both publish atomically (`publish`)."""

from cx.follow.site import build, refresh

__all__ = ["build", "refresh"]
