"""The hand-in process: one process beside the server's event loop that reads each proved, validated hand-in
into answer rows and commits whatever arrived together in one transaction, then answers each with its receipt.

It talks to the server over its standard input and output in frames (a 4-byte length, then a pickle): first
``(url, batch)``, then requests ``(id, document, learner, arrived)``; it answers ``READY`` once (database open), then
``(id, status, receipt or Chinese line)``. Everything arriving while a group is being written forms the next
group, so under load a hall costs a few commits a second. The process holds no GIL the event loop waits for,
needs no threads, and ends when the server closes its input (or dies: the input then ends too).
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import traceback

from sqlalchemy.exc import SQLAlchemyError

from .handin import HandinError, prepare
from .writer import GROUP, Writer

HEADER = struct.Struct("!I")
READY = "ready"
MAX_FRAME = 16_000_000  # bytes; a request holds one hand-in of at most ``handin.MAX_BODY``
UNAVAILABLE = "培训师的电脑暂时无法记下答案：答案未交上，仍保存在本机，请稍后再试。"
FAULT = "收卷程序出错：答案未交上，仍保存在本机，请告诉培训师。"


def frame(value) -> bytes:
    """One message as it travels: its length, then its pickle."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


class FrameReader:
    """Frames from a file descriptor: wait for one, then take those already arrived as well."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = bytearray()

    def _complete(self) -> list:
        found = []
        while len(self.buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self.buffer)
            if size > MAX_FRAME:
                raise ValueError("frame too large")
            if len(self.buffer) < HEADER.size + size:
                break
            found.append(pickle.loads(self.buffer[HEADER.size:HEADER.size + size]))
            del self.buffer[:HEADER.size + size]
        return found

    def _read(self) -> bool:
        chunk = os.read(self.fd, 1 << 20)
        self.buffer += chunk
        return bool(chunk)

    def next_group(self, limit: int) -> list | None:
        """At least one frame (blocking) and every complete frame that is already waiting, at most ``limit``
        unless more arrived in the same read; None once the input has ended."""
        found = self._complete()
        while not found:
            if not self._read():
                return None
            found = self._complete()
        while len(found) < limit and select.select([self.fd], [], [], 0)[0]:
            if not self._read():
                break
            found += self._complete()
        return found


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _answer(writer: Writer, requests: list) -> bytes:
    """The frames answering one group of requests, after the group's transaction."""
    replies: dict[int, tuple] = {}
    ready = []
    for number, document, learner, arrived in requests:
        try:
            ready.append((number, prepare(document, learner, arrived)))
        except HandinError as exc:
            replies[number] = (number, exc.status, str(exc))
        except Exception:  # a fault of this program: the learner keeps the answers and is told so
            traceback.print_exc()
            replies[number] = (number, 500, FAULT)
    if ready:
        results = writer.write([item for _, item in ready])
        for (number, _), result in zip(ready, results):
            replies[number] = ((number, 503, UNAVAILABLE) if isinstance(result, SQLAlchemyError)
                               else (number, 200, result.to_json()))
    return b"".join(frame(replies[number]) for number, *_ in requests)


def serve_requests() -> None:
    """Serve requests from standard input until it ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the server, which then closes our input
    output = os.dup(1)
    os.dup2(2, 1)  # a stray print must not break the frames
    reader = FrameReader(0)
    first = reader.next_group(1)
    if not first:
        return
    url, batch = first[0]
    from ..records.store import Records

    records = Records(url)
    try:
        writer = Writer(records.engine, batch)
        _write_all(output, frame(READY))
        while (requests := reader.next_group(GROUP)) is not None:
            _write_all(output, _answer(writer, requests))
    finally:
        records.close()


if __name__ == "__main__":
    try:
        serve_requests()
    except BrokenPipeError:  # the server is gone: nothing is waiting for an answer
        pass
