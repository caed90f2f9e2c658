"""One run per outbox at a time.

`flock` is released by the kernel when the holder dies, so a lock left by a killed run (kill -9) never
blocks the next one; the file's content only tells the waiting officer who holds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from tonghop.errors import LockedError

LOCK_NAME = ".tonghop.lock"


@contextlib.contextmanager
def outbox_lock(outbox: Path, *, wait: bool = False, poll_seconds: float = 0.5) -> Iterator[None]:
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / LOCK_NAME
    handle = path.open("a+", encoding="utf-8")
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    handle.seek(0)
                    holder = handle.read().strip() or "không rõ"
                    raise LockedError(
                        f"Một lượt tổng hợp khác đang chạy trên thư mục {outbox} ({holder}). "
                        "Hãy đợi lượt đó xong, hoặc chạy lại với --wait để tự động chờ."
                    ) from None
                time.sleep(poll_seconds)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, bắt đầu {dt.datetime.now().isoformat(timespec='seconds')}")
        handle.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()
