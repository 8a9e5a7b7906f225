"""Reading and writing the small `lease.json` beside the replica, over whichever transport the
replica uses: the file system, SFTP (paramiko, with the same key and host key Litestream gets),
or S3 (boto3). Writes go to a temporary name first and are renamed into place."""

from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass

from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.replica.target import Target, credential

TIMEOUT_S = 10.0
DEFAULT_KEYS = ("id_ed25519", "id_ecdsa", "id_rsa")


@dataclass(frozen=True)
class SftpAuth:
    key: str | None
    password: str | None
    host_key: str  # "ssh-ed25519 AAAA…"


def sftp_auth(target: Target, settings: dict[str, str]) -> SftpAuth:
    key, __ = credential(settings, "replica.sftp_key")
    password, __ = credential(settings, "replica.sftp_password")
    if key:
        key = os.path.expanduser(key)
        if not os.path.isfile(key):
            raise SalesflowError(
                _("the SSH key {key} does not exist — set replica.sftp_key").format(key=key)
            )
    else:
        home = os.path.expanduser("~/.ssh")
        key = next(
            (os.path.join(home, k) for k in DEFAULT_KEYS if os.path.isfile(os.path.join(home, k))),
            None,
        )
    if not key and not password:
        raise SalesflowError(
            _(
                "no SSH key or password for {user}@{host} — put a key in "
                "~/.ssh or set SALESFLOW_REPLICA_SFTP_KEY (or salesflow "
                "config set replica.sftp_key PATH)"
            ).format(user=target.user, host=target.host)
        )
    return SftpAuth(key, password, _host_key(target, settings))


def _host_key(target: Target, settings: dict[str, str]) -> str:
    given, __ = credential(settings, "replica.sftp_host_key")
    if given:
        from salesflow.replica.target import check_host_key

        return check_host_key(given)
    import paramiko

    name = known_name(target)
    known = paramiko.HostKeys()
    path = os.path.expanduser("~/.ssh/known_hosts")
    if os.path.isfile(path):
        known.load(path)
    found = known.lookup(name)
    if not found:
        # Litestream would otherwise accept any host key: refuse rather than trust blindly.
        raise SalesflowError(
            _(
                "the SSH host key of {name} is not known — connect once with "
                "ssh -p {port} {user}@{host} (it records the key in "
                "~/.ssh/known_hosts) or salesflow config set "
                "replica.sftp_host_key 'ssh-ed25519 AAAA…'"
            ).format(name=name, port=target.port, user=target.user, host=target.host)
        )
    key = next(iter(found.values()))
    return f"{key.get_name()} {key.get_base64()}"


def known_name(target: Target) -> str:
    """The host's name as known_hosts writes it."""
    return target.host if target.port == 22 else f"[{target.host}]:{target.port}"


def read(target: Target, settings: dict[str, str], name: str) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    try:
        if target.scheme == "file":
            try:
                with open(name, "rb") as f:
                    return f.read()
            except FileNotFoundError:
                return None
        if target.scheme == "sftp":
            with _Sftp(target, settings) as sftp:
                buf = io.BytesIO()
                try:
                    sftp.getfo(name, buf)
                except FileNotFoundError:
                    return None
                return buf.getvalue()
        return _s3_read(target, settings, name)
    except SalesflowError:
        raise
    except Exception as e:  # network and server failures of three libraries
        raise Unreachable(target, e) from None


def write(target: Target, settings: dict[str, str], name: str, data: bytes) -> None:
    try:
        if target.scheme == "file":
            folder = os.path.dirname(name)
            os.makedirs(folder, mode=0o700, exist_ok=True)
            tmp = f"{name}.{os.getpid()}.tmp"
            fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, name)
        elif target.scheme == "sftp":
            with _Sftp(target, settings) as sftp:
                _makedirs(sftp, os.path.dirname(name))
                tmp = f"{name}.{os.getpid()}.tmp"
                sftp.putfo(io.BytesIO(data), tmp)
                sftp.chmod(tmp, 0o600)
                sftp.posix_rename(tmp, name)
        else:
            _s3_write(target, settings, name, data)
    except SalesflowError:
        raise
    except Exception as e:
        raise Unreachable(target, e) from None


class Unreachable(SalesflowError):
    """The replica could not be reached or refused the operation."""

    def __init__(self, target: Target, cause: Exception) -> None:
        from salesflow.replica.target import redacted

        detail = str(cause) or type(cause).__name__
        said = _("cannot reach the replica {target}: {detail}")
        super().__init__(said.format(target=redacted(target), detail=detail))


class _Sftp:
    def __init__(self, target: Target, settings: dict[str, str]) -> None:
        self.target, self.auth = target, sftp_auth(target, settings)

    def __enter__(self):
        import paramiko

        kind, b64 = self.auth.host_key.split()[:2]
        client = paramiko.SSHClient()
        name = (
            self.target.host
            if self.target.port == 22
            else f"[{self.target.host}]:{self.target.port}"
        )
        client.get_host_keys().add(
            name, kind, paramiko.PKey.from_type_string(kind, base64.b64decode(b64))
        )
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        client.connect(
            self.target.host,
            self.target.port,
            username=self.target.user,
            key_filename=self.auth.key,
            password=self.auth.password,
            timeout=TIMEOUT_S,
            banner_timeout=TIMEOUT_S,
            auth_timeout=TIMEOUT_S,
            allow_agent=False,
            look_for_keys=False,
        )
        self.client = client
        return client.open_sftp()

    def __exit__(self, *exc: object) -> None:
        self.client.close()


def _makedirs(sftp, folder: str) -> None:
    parts, path = folder.strip("/").split("/"), ""
    for part in parts:
        path += "/" + part
        try:
            sftp.stat(path)
        except FileNotFoundError:
            sftp.mkdir(path, 0o700)


def _s3(target: Target, settings: dict[str, str]):
    try:
        import boto3
    except ImportError:
        raise SalesflowError(
            _("the lease on an S3 replica needs boto3 — pip install 'salesflow[s3]'")
        ) from None
    key_id, __ = credential(settings, "replica.access_key_id")
    secret, __ = credential(settings, "replica.secret_access_key")
    return boto3.client(
        "s3",
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        endpoint_url=target.query.get("endpoint"),
        region_name=target.query.get("region"),
    )


def _s3_read(target: Target, settings: dict[str, str], name: str) -> bytes | None:
    client = _s3(target, settings)
    try:
        return client.get_object(Bucket=target.bucket, Key=name)["Body"].read()
    except client.exceptions.NoSuchKey:
        return None


def _s3_write(target: Target, settings: dict[str, str], name: str, data: bytes) -> None:
    # A single PUT replaces an S3 object whole: no temporary name needed.
    _s3(target, settings).put_object(Bucket=target.bucket, Key=name, Body=data)
