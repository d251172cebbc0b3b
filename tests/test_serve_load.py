"""`course serve` under a bounded classroom load on localhost, and `kill -9` during that load.

200 learners hand in, 50 at the same moment, each 75 answers (72 practice questions and a 3-question 综合测评
attempt) in three hand-ins of the growing document, as the page sends it. Nothing acknowledged may be lost.
The goal on a 2-core machine: at least 300 hand-ins/s with p95 at most 100 ms (medians of three rounds), beside
the SQLite floor (one transaction per hand-in, measured on the same disk in the same run); the figures are a
benchmark (benchmarks/RESULTS.md), not an assertion, since a busy machine moves them. PostgreSQL: the same
load on 2 and 4 server processes sharing one database. Then the server is killed with SIGKILL in the middle of
the load and restarted: every hand-in it acknowledged is in the records. Trainer logins during the load do not
raise the learners' p95. The figures are printed for benchmarks/RESULTS.md.
"""
from __future__ import annotations

import asyncio
import http.client
import json
import random
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import insert, text

from exercises.questions.bank import load_all
from exercises.questions.grading import correct_response
from exercises.trainer.records.schema import answers, imports, submissions
from exercises.trainer.records.store import Records
from test_records import postgres  # noqa: F401  (the throwaway PostgreSQL cluster fixture)
from test_serve_process import (
    PASSWORD,
    Server,
    document,
    free_port,
    make_records,
    question_versions,
    stored_answers,
    tiny_book,
)

LEARNERS = 200
CLIENTS = 50  # learners handing in at the same moment
GOAL_RATE, GOAL_P95 = 300.0, 0.100  # hand-ins per second; seconds
pytestmark = [pytest.mark.slow, pytest.mark.process]


def plans(numbers: list[str]) -> dict[str, list[dict]]:
    """Each learner's three hand-ins: the document as it grows (24, 48, then 72 practice answers and a test)."""
    questions = [q for bank in load_all() for q in bank.questions]
    assert len(questions) >= 72
    versions = question_versions()
    result = {}
    for number in numbers:
        rng = random.Random(number)
        picked = rng.sample(questions, 72)
        responses = {q.id: correct_response(q) for q in picked}
        steps = []
        for count in (24, 48, 72):
            doc = document({q.id: responses[q.id] for q in picked[:count]}, learner=f"学员{number}")
            if count == 72:
                doc["assessment"] = {"attempts": [{
                    "id": "attempt-1", "paper": "seed-7", "started": "2026-11-27T12:00:00+00:00",
                    "submitted": "2026-11-27T12:20:00+00:00",
                    "answers": {q.id: {"answer": correct_response(q), "verdict": "correct", "score": q.points,
                                       "points": q.points, "time": "2026-11-27T12:10:00+00:00",
                                       "question_version": versions[q.id]} for q in picked[:3]}}]}
            steps.append(doc)
        result[number] = steps
    return result


def expected(doc: dict) -> set[tuple[str, str]]:
    """(kind, question id) of every answer a document holds."""
    found = {("practice", q) for q in doc["answers"]}
    for attempt in doc.get("assessment", {}).get("attempts", []):
        found |= {("assessment", q) for q in attempt["answers"]}
    return found


@dataclass
class Outcome:
    acknowledged: list[tuple[str, dict]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    refused: list[tuple[int, bytes]] = field(default_factory=list)  # (status, body) of answers other than 200
    wall: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[94]

    def line(self) -> str:
        return (f"{len(self.latencies)} hand-ins in {self.wall:.2f} s = {self.rate:.0f}/s; p50 {1000 * self.p50:.0f} ms, "
                f"p95 {1000 * self.p95:.0f} ms, max {1000 * max(self.latencies):.0f} ms")


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a kept connection: (status, body)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
    return int(lines[0].split()[1]), await reader.readexactly(length)


async def _load(servers: list[Server], work: dict[str, list[dict]], stop: threading.Event | None,
                outcome: Outcome) -> None:
    numbers = list(work)
    requests = {}
    for i, number in enumerate(numbers):
        server = servers[i % len(servers)]
        requests[number] = []
        for doc in work[number]:
            body = json.dumps({"code": server.code, "number": number, "pin": server.pins[number], "document": doc},
                              ensure_ascii=False).encode()
            requests[number].append(b"POST /api/collect/handin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    queue: asyncio.Queue = asyncio.Queue()
    for i, number in enumerate(numbers):
        queue.put_nowait((number, servers[i % len(servers)].port))

    async def client() -> None:  # one device at a time, as a learner's browser keeps its connection
        connections: dict[int, tuple] = {}
        while not queue.empty():
            number, port = queue.get_nowait()
            for request, doc in zip(requests[number], work[number]):
                if stop is not None and stop.is_set():
                    return
                start = time.perf_counter()
                try:
                    if port not in connections:
                        connections[port] = await asyncio.open_connection("127.0.0.1", port)
                    status, reply = await asyncio.wait_for(_exchange(*connections[port], request), 30)
                except (OSError, asyncio.IncompleteReadError, TimeoutError, asyncio.LimitOverrunError):
                    connections.pop(port, None)
                    break  # the server is gone: this hand-in was not acknowledged
                elapsed = time.perf_counter() - start
                if status != 200:
                    outcome.refused.append((status, reply))
                    break
                outcome.acknowledged.append((number, doc))
                outcome.latencies.append(elapsed)
        for _, writer in connections.values():
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS * len(servers))))
    outcome.wall = time.perf_counter() - start


def run_load(servers: list[Server], work: dict[str, list[dict]], stop: threading.Event | None = None) -> Outcome:
    """Hand in every learner's documents in order, ``CLIENTS`` learners at once per server, each on a kept
    connection; learner i goes to server i mod n. The clients are coroutines in one thread (a cheap load
    generator, so the figures are the server's); requests are made before the clock starts. The loop runs
    in a thread of its own: Playwright's synchronous API, once a browser test has started it, keeps an event
    loop running in the main thread, where asyncio.run() refuses to start another."""
    outcome = Outcome()
    failure: list[BaseException] = []

    def drive() -> None:
        try:
            asyncio.run(_load(servers, work, stop, outcome))
        except BaseException as error:  # re-raised in the caller's thread
            failure.append(error)

    driver = threading.Thread(target=drive, name="load-client")
    driver.start()
    driver.join()
    if failure:
        raise failure[0]
    return outcome


def assert_all_stored(db, numbers: list[str], work: dict[str, list[dict]]) -> None:
    have = stored_answers(db)
    for number in numbers:
        assert have.get(number) == expected(work[number][-1]), number
    assert sum(map(len, have.values())) == 75 * LEARNERS


def sqlite_floor(db) -> float:
    """Realistic hand-in transactions per second this disk commits, one hand-in (a submission and its 75
    answers) per transaction, in the records' own SQLite set-up (WAL, synchronous FULL)."""
    records = Records(str(db))
    try:
        with records.engine.begin() as connection:
            connection.execute(text("PRAGMA synchronous=FULL"))
            batch_id = connection.execute(text("SELECT id FROM batches")).scalar()
            import_id = connection.execute(insert(imports).values(batch_id=batch_id, kind="handin", source="floor",
                                                                  time="2026")).inserted_primary_key[0]
        rows = [{"kind": "practice", "attempt": "", "question_id": f"p1-{i:02d}", "response": '"A"',
                 "time": "2026-11-27T10:00:00.000000Z"} for i in range(75)]
        count = 200
        start = time.perf_counter()
        for i in range(count):
            with records.engine.begin() as connection:
                sid = connection.execute(insert(submissions).values(
                    batch_id=batch_id, import_id=import_id, sha256=f"{i:064d}", source="floor", name="", number="",
                    updated="", learner_id=None, status="unmatched", reason="")).inserted_primary_key[0]
                connection.execute(insert(answers), [{**r, "submission_id": sid} for r in rows])
        return count / (time.perf_counter() - start)
    finally:
        records.close()


def test_sqlite_one_process_loses_nothing_and_reports_its_speed(tmp_path):
    rounds = []
    for i in range(3):
        folder = tmp_path / f"round{i}"
        folder.mkdir()
        db, numbers = make_records(folder, LEARNERS)
        server = Server(db, tiny_book(folder), free_port(), ("--rate", "0")).start()
        work = plans(numbers)
        try:
            outcome = run_load([server], work)
        finally:
            server.stop()
        assert len(outcome.acknowledged) == 3 * LEARNERS, outcome.refused[:3]
        assert_all_stored(db, numbers, work)
        rounds.append(outcome)
        print(f"\nsqlite round {i + 1}: {outcome.line()}")
    floor = sqlite_floor(tmp_path / "round0" / "records.sqlite")
    rate = statistics.median(o.rate for o in rounds)
    p50 = statistics.median(o.p50 for o in rounds)
    p95 = statistics.median(o.p95 for o in rounds)
    print(f"sqlite, 1 process, medians of 3: {rate:.0f} hand-ins/s, p50 {1000 * p50:.0f} ms, p95 {1000 * p95:.0f} ms; "
          f"SQLite floor (one transaction per hand-in) {floor:.0f}/s")
    print(f"goal {GOAL_RATE:.0f} hand-ins/s and p95 {1000 * GOAL_P95:.0f} ms: "
          f"{'met' if rate >= GOAL_RATE and p95 <= GOAL_P95 else 'not met'}")


@pytest.mark.parametrize("processes", [2, 4])
def test_postgresql_several_processes_share_one_database(tmp_path, postgres, processes):  # noqa: F811
    admin, template = postgres
    name = f"serve_load_{processes}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = template.format(db=name)
    db, numbers = make_records(tmp_path, LEARNERS, db=url)
    book = tiny_book(tmp_path)
    servers = [Server(db, book, free_port(), ("--rate", "0")).start() for _ in range(processes)]
    work = plans(numbers)
    try:
        outcome = run_load(servers, work)
    finally:
        for server in servers:
            server.stop()
    assert len({s.code for s in servers}) == 1  # the later processes use the code the first one issued
    assert len(outcome.acknowledged) == 3 * LEARNERS, outcome.refused[:3]
    assert_all_stored(db, numbers, work)
    print(f"\npostgresql, {processes} processes: {outcome.line()}")


def test_kill_9_during_load_loses_no_acknowledged_hand_in(tmp_path):
    db, numbers = make_records(tmp_path, LEARNERS)
    book = tiny_book(tmp_path)
    server = Server(db, book, free_port(), ("--rate", "0")).start()
    work = plans(numbers)
    stop = threading.Event()
    result: list[Outcome] = []
    loader = threading.Thread(target=lambda: result.append(run_load([server], work, stop)))
    before = {p.name for p in Path(tempfile.gettempdir()).iterdir()}
    loader.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(stored_answers(db)) < LEARNERS // 3:
        time.sleep(0.05)
    server.kill9()
    stop.set()
    loader.join(timeout=120)
    acknowledged = result[0].acknowledged
    assert 0 < len(acknowledged) < 3 * LEARNERS
    left = {p.name for p in Path(tempfile.gettempdir()).iterdir()} - before
    assert not [n for n in left if n.startswith("sige-")], left  # no hand-in was ever written to a temporary file
    again = Server(db, book, free_port(), ("--rate", "0")).start()
    try:
        assert again.code == server.code and again.pins == server.pins  # learners keep their codes
        have = stored_answers(db)
        for number, doc in acknowledged:
            assert expected(doc) <= have.get(number, set()), number
        rest = run_load([again], {n: [work[n][-1]] for n in numbers})  # the learners cut off send again
    finally:
        again.stop()
    assert len(rest.acknowledged) == LEARNERS
    assert_all_stored(db, numbers, work)
    print(f"\nkill -9 after {len(acknowledged)} acknowledged hand-ins: all present after the restart")


def _logins(server: Server, stop: threading.Event, tries: list[int]) -> None:
    """A trainer (and a guesser) trying passwords from another address's point of view: the real password, then
    wrong ones, over and over, until ``stop``."""
    while not stop.is_set():
        for password in (PASSWORD, "wrong-password-1", "wrong-password-2"):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            try:
                connection.request("GET", "/trainer/login")
                response = connection.getresponse()
                response.read()
                token = response.getheader("Set-Cookie", "").split(";")[0].split("=", 1)[1]
                connection.request("POST", "/trainer/login", f"_xsrf={token}&password={quote(password)}",
                                   {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"_xsrf={token}"})
                response = connection.getresponse()
                response.read()
                tries.append(response.status)
            finally:
                connection.close()


def test_trainer_logins_during_the_load_do_not_slow_learners(tmp_path):
    """Rounds without and with a trainer logging in (and guessing) alternate; the medians of their p95 compare."""
    results: dict[str, list[Outcome]] = {"quiet": [], "logins": []}
    tries: list[int] = []
    for i, label in enumerate(["quiet", "logins"] * 2):
        folder = tmp_path / f"{label}{i}"
        folder.mkdir()
        db, numbers = make_records(folder, LEARNERS)
        server = Server(db, tiny_book(folder), free_port(), ("--rate", "0")).start()
        work = plans(numbers)
        stop = threading.Event()
        trainer = threading.Thread(target=_logins, args=(server, stop, tries)) if label == "logins" else None
        try:
            if trainer:
                started = len(tries)
                trainer.start()
                while len(tries) == started:
                    time.sleep(0.01)
            outcome = run_load([server], work)
        finally:
            stop.set()
            if trainer:
                trainer.join(timeout=60)
            server.stop()
        assert len(outcome.acknowledged) == 3 * LEARNERS
        results[label].append(outcome)
        print(f"\n{label}: {outcome.line()}")
    quiet, busy = (statistics.median(o.p95 for o in results[k]) for k in ("quiet", "logins"))
    print(f"p95 without logins {1000 * quiet:.0f} ms, with {1000 * busy:.0f} ms; {len(tries)} login attempts "
          f"{sorted(set(tries))}")
    assert 303 in tries and 403 in tries  # the password was checked during the load (right and wrong)
    # A password check on the event loop froze every learner for 0.2–1.2 s per attempt: p95 went up many times over.
    assert busy <= max(GOAL_P95, 2 * quiet), (busy, quiet)
