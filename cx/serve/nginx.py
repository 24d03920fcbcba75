"""The proxy's configuration, written from `nginx.conf.template`, and the command that runs it
unprivileged-friendly: pid, logs and temp files in a run directory of our own."""

from __future__ import annotations

import importlib.util
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cx import config

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
DEFAULT_UPLOAD_MB = 200  # Streamlit's own default for server.maxUploadSize
FORM_MARGIN_MB = 1  # a multipart form carries a few bytes beside the file
TEMP_DIRS = ("body", "proxy", "fastcgi", "uwsgi", "scgi")


@dataclass(frozen=True)
class ProxyPlan:
    """What the proxy needs to know: where it listens, the workers (host:port), its files."""

    listen: str  # "8500" or "0.0.0.0:8500"
    upstreams: tuple[str, ...]
    run_dir: Path
    follow_dir: Path
    static_dir: Path
    max_upload_mb: int
    trusted: tuple[str, ...] = ()  # proxies in front of nginx (config.trusted_proxies)


def streamlit_static_dir() -> Path:
    """Streamlit's built front end (its `static/` holds the hashed JS, CSS and fonts), found
    without importing Streamlit."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("streamlit")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def max_upload_mb(config_toml: Path = config.PROJECT_ROOT / ".streamlit" / "config.toml") -> int:
    """Streamlit's server.maxUploadSize (MB) as the app's config.toml sets it."""
    try:
        server = tomllib.loads(config_toml.read_text("utf-8")).get("server", {})
    except FileNotFoundError:
        return DEFAULT_UPLOAD_MB
    return int(server.get("maxUploadSize", DEFAULT_UPLOAD_MB))


def render_config(plan: ProxyPlan, as_root: bool | None = None) -> str:
    """The nginx.conf for `plan`. As root, nginx's workers would drop to `nobody`, who cannot
    read a private run or follow directory: they stay the user who runs the app."""
    as_root = os.geteuid() == 0 if as_root is None else as_root
    values = {
        "USER": "user root;" if as_root else "",
        "RUN": str(plan.run_dir.resolve()),
        "SERVERS": "\n".join(f"        server {u} max_fails=0;" for u in plan.upstreams),
        "LISTEN": plan.listen,
        "MAX_BODY": f"{plan.max_upload_mb + FORM_MARGIN_MB}m",
        "STATIC": str(plan.static_dir.resolve()),
        "FOLLOW": str(plan.follow_dir.resolve()),
        "REAL_IP": _real_ip(plan.trusted),
    }
    text = TEMPLATE.read_text("utf-8")
    missing = set(PLACEHOLDER.findall(text)) - set(values)
    if missing:
        raise KeyError(f"nginx template: no value for {sorted(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def _real_ip(trusted: tuple[str, ...]) -> str:
    """Behind a load balancer we trust, the client's address is the last one it adds to
    X-Forwarded-For (nginx's realip module), so X-Real-IP names the client, not the balancer."""
    if not trusted:
        return "# no proxy in front of this one (CX_TRUSTED_PROXIES): $remote_addr is the client"
    lines = [f"set_real_ip_from {n};" for n in trusted]
    lines += ["real_ip_header X-Forwarded-For;", "real_ip_recursive on;"]
    return "\n        ".join(lines)


def write_config(plan: ProxyPlan) -> Path:
    """Write the configuration into the run directory (with its temp folders, and the follow
    directory if missing) and return its path."""
    for name in TEMP_DIRS:
        (plan.run_dir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    plan.follow_dir.mkdir(parents=True, exist_ok=True)
    path = plan.run_dir / "nginx.conf"
    path.write_text(render_config(plan), "utf-8")
    return path


def nginx_command(conf: Path, test: bool = False) -> list[str]:
    """`nginx` in the foreground with its prefix in the run directory (`-t`: only check)."""
    run_dir = str(conf.parent.resolve())
    args = ["nginx", "-p", run_dir, "-c", str(conf.resolve())]
    return [*args, "-t", "-q"] if test else [*args, "-g", "daemon off;"]
