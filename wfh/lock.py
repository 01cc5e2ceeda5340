"""One writer at a time: the lock on the warehouse folder.

A refresh (``wfh refresh``, each run of ``wfh serve``) and ``wfh add-cycle`` hold an exclusive
``flock`` on ``warehouse/.refresh.lock`` while they run; the file names the holder (what, run id, pid,
host, start time) so a second writer can say who is in the way. The kernel drops a ``flock`` when its
process ends, kill -9 included, so a lock left behind by a killed run is stale by construction: the next
writer takes it, and learns from the record still in the file that its holder died (``Lock.stale``), so
it can clear what that run left (see ``wfh.warehouse.writer``).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from wfh.errors import RefreshBusy
from wfh.settings import paths

LOCK_NAME = ".refresh.lock"


def lock_path() -> Path:
    return paths().warehouse / LOCK_NAME


def describe_holder(holder: dict) -> str:
    """``a refresh is already running (run 1a2b3c since 00:42)``, from the record in the lock file."""
    since = holder.get("started_at")
    try:
        since = datetime.fromisoformat(since).astimezone().strftime("%H:%M")
    except (TypeError, ValueError):
        since = "an unknown time"
    what = holder.get("what") or "refresh"
    if what == "refresh":
        return f"a refresh is already running (run {holder.get('run_id', 'unknown')} since {since})"
    return f"`wfh {what}` is already running (pid {holder.get('pid', 'unknown')} since {since})"


@dataclass
class Lock:
    """The held lock; ``stale`` is the record of a holder that died without releasing it."""

    path: Path
    holder: dict
    stale: dict | None = None
    _fd: int | None = field(default=None, repr=False)

    def release(self) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)  # an empty file means "released cleanly"
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(fd: int) -> dict:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 65536).decode("utf-8", "replace").strip()
    try:
        holder = json.loads(text) if text else {}
    except ValueError:
        holder = {"run_id": "unknown"}
    return holder if isinstance(holder, dict) else {"run_id": "unknown"}


def acquire(run_id: str, what: str = "refresh", wait_s: float = 0.0) -> Lock:
    """Take the warehouse lock or raise :class:`RefreshBusy` naming the holder.

    ``wait_s`` > 0 waits up to that long for the holder to finish (polling once a second).
    """
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() < deadline:
                time.sleep(1.0)
                continue
            holder = _read_holder(fd)
            for _ in range(20):  # the holder writes its record right after taking the lock
                if holder:
                    break
                time.sleep(0.05)
                holder = _read_holder(fd)
            os.close(fd)
            raise RefreshBusy(f"{path}: {describe_holder(holder)}; wait for it to finish") from None
    stale = _read_holder(fd) or None
    holder = {
        "what": what,
        "run_id": run_id,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(holder).encode("utf-8"))
    os.fsync(fd)
    return Lock(path=path, holder=holder, stale=stale, _fd=fd)
