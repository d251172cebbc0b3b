"""The hand-in process (``worker``) seen from the event loop: a proved hand-in goes down its input as one frame,
its receipt comes back up its output; the loop reads the pipe itself, so no thread of this process takes turns
with it. A process that dies is started again at the next hand-in; what it had not answered is refused (503)
and stays on the learner's device.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import pickle
import sys
from datetime import datetime

from .directory import Learner
from .worker import HEADER, READY, UNAVAILABLE, frame

STOP_WAIT = 30.0  # seconds a closing server waits for the process to write what it holds
START_WAIT = 120.0  # seconds the process may take to start (a busy machine imports slowly)


class HandinProcess:
    def __init__(self, url: str, batch: str):
        self.url = url
        self.batch = batch
        self._process: asyncio.subprocess.Process | None = None
        self._pending: dict[int, asyncio.Future] = {}
        self._numbers = itertools.count()
        self._starting = asyncio.Lock()
        self._reading: asyncio.Task | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    async def start(self) -> None:
        """Start the process and wait until it is ready (its database open)."""
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "exercises.trainer.serve.worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(frame((self.url, self.batch)))
        try:
            reply = await asyncio.wait_for(self._read_frame(process.stdout), START_WAIT)
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
            reply = None
        if reply != READY:
            process.kill()
            await process.wait()
            raise RuntimeError("the hand-in process did not start")
        self._process = process
        self._reading = asyncio.create_task(self._read_replies(process))

    async def hand_in(self, document: dict, learner: Learner, arrived: datetime) -> tuple[int, object]:
        """(200, receipt) once stored, or (status, Chinese line)."""
        async with self._starting:
            if self._process is None or self._process.returncode is not None or self._reading is None \
                    or self._reading.done():
                try:
                    await self.start()
                except (OSError, RuntimeError):
                    return 503, UNAVAILABLE
        process = self._process
        assert process is not None and process.stdin is not None
        number = next(self._numbers)
        future = asyncio.get_running_loop().create_future()
        self._pending[number] = future
        try:
            process.stdin.write(frame((number, document, learner, arrived)))
            await process.stdin.drain()
        except (ConnectionError, RuntimeError):
            self._pending.pop(number, None)
            return 503, UNAVAILABLE
        return await future

    @staticmethod
    async def _read_frame(stream: asyncio.StreamReader):
        (size,) = HEADER.unpack(await stream.readexactly(HEADER.size))
        return pickle.loads(await stream.readexactly(size))

    async def _read_replies(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        try:
            while True:
                number, status, payload = await self._read_frame(process.stdout)
                future = self._pending.pop(number, None)
                if future is not None and not future.done():
                    future.set_result((status, payload))
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, EOFError, pickle.UnpicklingError):
            pass  # the process ended (or wrote something unreadable, and is ended below)
        if process.returncode is None:
            process.kill()
        await process.wait()
        if self._process is process:
            logging.getLogger(__name__).warning("收卷进程意外结束，下一次交卷时重新启动。")
        for future in self._pending.values():  # what it took but did not answer: not stored, say so
            if not future.done():
                future.set_result((503, UNAVAILABLE))
        self._pending.clear()

    async def close(self) -> None:
        """Let the process finish what it holds, then end it."""
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), STOP_WAIT)
        except TimeoutError:
            process.kill()
            await process.wait()
        if self._reading is not None:
            await asyncio.gather(self._reading, return_exceptions=True)
