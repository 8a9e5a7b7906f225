"""The S3 replica end to end: Litestream and salesflow's lease against moto's S3 server on
localhost (the same API as AWS S3, R2, OSS and MinIO)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.replica.procs import Replicate, env_for, free_port, names, sf

server_module = pytest.importorskip("moto.server", reason="moto[s3] and flask (the test extra)")
boto3 = pytest.importorskip("boto3")


@pytest.fixture
def s3(tmp_path: Path):
    port = free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    client.create_bucket(Bucket="crm")
    home = tmp_path / "home"
    home.mkdir()
    env = env_for(home)
    env.pop("AWS_CA_BUNDLE", None)  # Litestream's S3 client cannot take a custom CA bundle
    env.update(AWS_ACCESS_KEY_ID="AKIDLOCAL", AWS_SECRET_ACCESS_KEY="s3cr3t-value")
    url = f"s3://crm/pipeline?endpoint={endpoint}&region=us-east-1&force-path-style=true"
    yield url, env, client
    server.stop()


def test_handover_and_takeover_through_s3(ok, s3, tmp_path: Path) -> None:
    url, env, client = s3
    a, b = tmp_path / "desk.db", tmp_path / "laptop.db"
    ok("--db", str(a), "lead", "add", "From desk")
    ok("--db", str(a), "replica", "set", url)
    rep = Replicate(a, env)
    try:
        sf(a, "lead", "add", "While replicating", env=env)
        rep.sync()
        sf(b, "replica", "restore", "--from", url, env=env)
        refused = sf(b, "lead", "add", "Too early", env=env, ok=False)
        assert f"({a}) holds the pipeline since" in refused.stderr
        sf(a, "handover", env=env)
    finally:
        rep.stop()
    sf(b, "takeover", env=env)
    lease = json.loads(client.get_object(Bucket="crm", Key="pipeline/lease.json")["Body"].read())
    assert lease["db"] == str(b) and lease["released_at"] is None
    sf(b, "lead", "add", "From laptop", env=env)
    assert names(b, env) == ["From desk", "From laptop", "While replicating"]
    shown = sf(b, "replica", "show", env=env).stdout
    assert "s3cr3t-value" not in shown and "AKIDLOCAL" not in shown
    assert "(set, hidden) (env AWS_SECRET_ACCESS_KEY)" in shown
