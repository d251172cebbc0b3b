"""What every handler of one ``course serve`` process shares: the database, the batch, the address, the limits."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..records.store import Records
from .ratelimit import TokenBucket


@dataclass
class Context:
    records: Records
    batch: str
    address: str           # the address learners open (printed, projected, in the QR code)
    book: Path
    handins: TokenBucket   # hand-ins per client address
    logins: TokenBucket    # password attempts per client address
    workers: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=4,
                                                                                  thread_name_prefix="records"))
