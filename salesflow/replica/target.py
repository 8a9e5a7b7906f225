"""Where the replica lives (`file://`, `sftp://`, `s3://`) and the credentials to reach it.

Credentials come from the environment first, then from `config set replica.*`; they are handed
to Litestream through its environment, never written into a file or printed."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from salesflow import store
from salesflow.errors import SalesflowError
from salesflow.i18n import _

SCHEMES = ("file", "sftp", "s3")
URL_KEY = "replica.url"
# Settings a user may hold in the database; the secret ones are never shown.
SECRET_KEYS = ("replica.sftp_password", "replica.access_key_id", "replica.secret_access_key")
PLAIN_KEYS = ("replica.sftp_key", "replica.sftp_host_key", "replica.lease_seconds")
ENV = {
    "replica.sftp_password": ("SALESFLOW_REPLICA_SFTP_PASSWORD",),
    "replica.sftp_key": ("SALESFLOW_REPLICA_SFTP_KEY",),
    "replica.sftp_host_key": ("SALESFLOW_REPLICA_SFTP_HOST_KEY",),
    "replica.access_key_id": ("AWS_ACCESS_KEY_ID", "LITESTREAM_ACCESS_KEY_ID"),
    "replica.secret_access_key": ("AWS_SECRET_ACCESS_KEY", "LITESTREAM_SECRET_ACCESS_KEY"),
}
DEFAULT_LEASE_SECONDS = 120


@dataclass(frozen=True)
class Target:
    """A parsed replica URL. `path` is the replica folder (file, sftp) or key prefix (s3)."""

    url: str
    scheme: str
    path: str
    host: str = ""
    port: int = 22
    user: str = ""
    bucket: str = ""
    query: dict[str, str] = field(default_factory=dict)

    @property
    def lease_name(self) -> str:
        return f"{self.path.rstrip('/')}/lease.json" if self.path else "lease.json"


def parse(url: str) -> Target:
    """Check a replica URL and split it; refuses a password inside the URL."""
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise SalesflowError(
            _(
                '"{url}" is not a replica URL salesflow knows — use '
                "file:///folder, sftp://user@host/folder or "
                "s3://bucket/folder"
            ).format(url=url)
        )
    if parts.password is not None:
        raise SalesflowError(
            _(
                "keep the password out of the replica URL (it would be "
                "stored and shown) — set SALESFLOW_REPLICA_SFTP_PASSWORD or "
                "salesflow config set replica.sftp_password"
            )
        )
    path = unquote(parts.path)
    query = dict(parse_qsl(parts.query))
    if scheme == "file":
        if parts.netloc not in ("", "localhost") or not path.startswith("/"):
            raise SalesflowError(
                _('"{url}": a file replica needs an absolute path: file:///folder').format(url=url)
            )
        return Target(text, scheme, path.rstrip("/") or "/", query=query)
    if scheme == "sftp":
        if not parts.hostname or not parts.username:
            raise SalesflowError(
                _('"{url}": an SFTP replica needs user@host: sftp://user@host/dir').format(url=url)
            )
        if not path.strip("/"):
            raise SalesflowError(
                _('"{url}": give the folder on the server: sftp://user@host/dir').format(url=url)
            )
        try:
            port = parts.port or 22
        except ValueError:
            raise SalesflowError(_('"{url}": the port is not a number').format(url=url)) from None
        return Target(text, scheme, path, parts.hostname, port, unquote(parts.username))
    if not parts.hostname:
        raise SalesflowError(
            _('"{url}": an S3 replica needs a bucket: s3://bucket/folder').format(url=url)
        )
    return Target(text, scheme, path.strip("/"), bucket=parts.netloc, query=query)


def configured(conn: sqlite3.Connection) -> Target | None:
    url = store.get_setting(conn, URL_KEY)
    return parse(url) if url else None


def required(conn: sqlite3.Connection) -> Target:
    found = configured(conn)
    if found is None:
        raise SalesflowError(
            _(
                "no replica is set — salesflow replica set "
                "sftp://user@host/folder (or file://, s3://)"
            )
        )
    return found


def credential(settings: dict[str, str], key: str) -> tuple[str | None, str]:
    """The value and where it came from ("env NAME", "config", or "")."""
    for name in ENV.get(key, ()):
        if os.environ.get(name):
            return os.environ[name], f"env {name}"
    if settings.get(key):
        return settings[key], "config"
    return None, ""


def lease_seconds(settings: dict[str, str]) -> int:
    return int(settings.get("replica.lease_seconds") or DEFAULT_LEASE_SECONDS)


def check_lease_seconds(value: str) -> str:
    text = value.strip()
    if not text.isdigit() or not 2 <= int(text) <= 86400:
        raise SalesflowError(
            _('"{value}" — the lease lasts a whole number of seconds, 2 to 86400').format(
                value=value
            )
        )
    return str(int(text))


def check_url(value: str) -> str:
    return parse(value).url


def check_file(value: str) -> str:
    path = os.path.expanduser(value.strip())
    if not os.path.isfile(path):
        raise SalesflowError(
            _("{value} is not a file — give the path of the key file").format(value=value)
        )
    return path


def check_host_key(value: str) -> str:
    """An OpenSSH public key line (`ssh-ed25519 AAAA…`) or a file holding one."""
    text = value.strip()
    if os.path.isfile(os.path.expanduser(text)):
        with open(os.path.expanduser(text), encoding="utf-8") as f:
            text = f.read().strip()
    fields = text.split()
    if len(fields) < 2 or not fields[0].startswith(("ssh-", "ecdsa-")):
        raise SalesflowError(
            _(
                "the host key is an OpenSSH public key line such as "
                "ssh-ed25519 AAAA… (ssh-keyscan -t ed25519 HOST prints it) "
                "or a file that holds one"
            )
        )
    return " ".join(fields[:2])


def check_secret(value: str) -> str:
    if not value.strip():
        raise SalesflowError(_("the value cannot be empty"))
    return value


SHOWN_QUERY = ("endpoint", "region", "force-path-style")


def redacted(target: Target) -> str:
    """The URL as it may be shown: no query value other than endpoint and region."""
    base = target.url.split("?", 1)[0]
    shown = [f"{k}={v}" for k, v in target.query.items() if k in SHOWN_QUERY]
    return base + ("?" + "&".join(shown) if shown else "")
