"""Continuous off-site replication through Litestream, restore anywhere, and the lease that says
which machine may write.

Litestream (a separate binary, `pip install 'salesflow[replica]'`) streams committed WAL frames
to the replica; salesflow configures it, runs it, and keeps `lease.json` beside the replica.
Nothing here is imported by everyday commands unless a replica is configured.
"""
