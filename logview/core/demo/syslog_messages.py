"""The host's /var/log/messages: RFC 3164 syslog (no year in its stamps), with the restart."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from logview.core.demo.files import _File, _text_file
from logview.core.demo.scenario import US, _arrivals, _flat, _hourly, _periodic, _stamps
from logview.core.demo.templates import (
    _events,
    _Pools,
    _render,
    _rows,
    _sorted,
    _table,
    _timeline,
    _variables,
)

_SYSLOG_TEMPLATES = _table("""
3   || systemd[1]: Started session-{session}.scope - Session {session} of User deploy.
3   || systemd-logind[812]: New session {session} of user deploy.
3   || systemd-logind[812]: Session {session} logged out. Waiting for processes to exit.
3   || sshd[{pid}]: Accepted publickey for deploy from 10.0.8.{small} port {port} ssh2: ED25519 SHA256:q1Xv{hex8}
3   || sshd[{pid}]: Received disconnect from 10.0.8.{small} port {port}:11: disconnected by user
4   || sshd[{pid}]: Invalid user admin from {ip} port {port}
4   || sshd[{pid}]: Connection closed by invalid user admin {ip} port {port} [preauth]
8   || kernel: [UFW BLOCK] IN=eth0 OUT= MAC=0a:3e:7c:91:d2:01 SRC={ip} DST=10.0.1.15 LEN=40 TOS=0x00 PREC=0x00 TTL=243 ID={port} PROTO=TCP SPT={port} DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0
1   || chronyd[640]: Selected source 169.254.169.123
1   || chronyd[640]: System clock wrong by 0.00{small}3 seconds
2   || sudo[{pid}]:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl status worker
2   || sudo[{pid}]: pam_unix(sudo:session): session opened for user root(uid=0) by deploy(uid=1001)
1.5 || dhclient[733]: DHCPREQUEST for 10.0.1.15 on eth0 to 10.0.0.1 port 67 (xid=0x{hex8})
1.5 || dhclient[733]: DHCPACK of 10.0.1.15 from 10.0.0.1 (xid=0x{hex8})
1   || rsyslogd[701]: action 'action-8-builtin:omfwd' resumed (module 'builtin:omfwd')
0.5 || dockerd[1022]: time="{stamp}" level=info msg="ignoring event" module=libcontainerd namespace=moby
0.3 || kernel: nvme nvme0: I/O {count} QID 2 timeout, completion polled
""".replace(" || ", " |  | "))  # fmt: skip
_SYSLOG_PERIODIC = _table("""
1 |  | CROND[{pid}]: (root) CMD (run-parts /etc/cron.hourly)
1 |  | systemd[1]: Starting sysstat-collect.service - system activity accounting tool...
1 |  | systemd[1]: sysstat-collect.service: Deactivated successfully.
1 |  | run-parts[{pid}]: (/etc/cron.daily) starting logrotate
1 |  | run-parts[{pid}]: (/etc/cron.daily) finished logrotate
""")  # fmt: skip
_SYSLOG_EVENTS = _timeline("""
14:22:00.000 |  | systemd[1]: worker.service: Watchdog timeout (limit 10min)!
14:22:00.000 |  | systemd[1]: worker.service: Killing process 4121 (python3) with signal SIGABRT.
14:22:00.900 |  | systemd-coredump[{pid}]: Process 4121 (python3) of user 998 dumped core.
14:22:01.000 |  | systemd[1]: worker.service: Main process exited, code=dumped, status=6/ABRT
14:22:01.000 |  | systemd[1]: worker.service: Failed with result 'watchdog'.
14:22:02.000 |  | systemd[1]: worker.service: Scheduled restart job, restart counter is at 1.
14:22:02.000 |  | systemd[1]: Started worker.service - Order worker.
""")  # fmt: skip


def _syslog_messages(rng: np.random.Generator, pools: _Pools) -> list[_File]:
    """Return /var/log/messages: cron, sessions, scanners, and systemd restarting the hung worker."""
    variables = _variables(rng, pools)
    variables["stamp"] = lambda ts: _stamps(ts, "%Y-%m-%dT%H:%M:%S%.9fZ")
    sysstat = _periodic(rng, timedelta(minutes=10), jitter_ms=200)
    daily = _periodic(rng, timedelta(days=1), timedelta(hours=6, minutes=25), jitter_ms=900)
    cron, sysstat_start, sysstat_end, rotate_start, rotate_end = _SYSLOG_PERIODIC
    entries = _sorted(
        [
            _render(rng, _arrivals(rng, 1.4, _flat), _SYSLOG_TEMPLATES, variables),
            _rows(cron, _hourly(rng, 1), variables, 100),
            _rows(sysstat_start, sysstat, variables, 101),
            _rows(sysstat_end, sysstat + 80_000, variables, 102),
            _rows(rotate_start, daily, variables, 103),
            _rows(rotate_end, daily + 2 * US, variables, 104),
            _events(_SYSLOG_EVENTS, variables),
        ]
    )
    ts = entries["ts"].to_numpy()
    lines = _stamps(ts, "%b %e %H:%M:%S") + " web-01 " + entries["text"]
    return [_text_file("var/log/messages", lines, ts)]
