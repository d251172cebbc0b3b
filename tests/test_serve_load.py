"""`course serve` under a bounded classroom load on localhost, and `kill -9` during that load.

200 simulated learners hand in concurrently, each 75 answers (72 practice questions and a 3-question
综合测评 attempt) in three hand-ins of the growing document, as the page sends it. Nothing may be lost; the
latencies (p50/p95) and the request rate are printed for the benchmark notes. Then the server is killed with
SIGKILL in the middle of the same load and restarted: every hand-in it acknowledged must be in the records.
"""
from __future__ import annotations

import random
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from test_records import postgres  # noqa: F401  (the throwaway PostgreSQL cluster fixture)
from test_serve_process import BATCH, Server, document, free_port, make_records, tiny_book

from exercises.questions.bank import load_all
from exercises.questions.grading import correct_response
from exercises.trainer.records.store import Records

LEARNERS = 200
CLIENTS = 50  # learners handing in at the same moment
pytestmark = pytest.mark.slow


def plans(numbers: list[str]) -> dict[str, list[dict]]:
    """Each learner's three hand-ins: the document as it grows (24, 48, then 72 practice answers and a test)."""
    questions = [q for bank in load_all() for q in bank.questions]
    assert len(questions) >= 72
    result = {}
    for number in numbers:
        rng = random.Random(number)
        picked = rng.sample(questions, 72)
        responses = {q.id: correct_response(q) for q in picked}
        steps = []
        for count in (24, 48, 72):
            doc = document({q.id: responses[q.id] for q in picked[:count]}, learner=f"学员{number}")
            if count == 72:
                tested = picked[:3]
                doc["assessment"] = {"attempts": [{
                    "id": "attempt-1", "paper": "seed-7", "started": "2026-11-27T12:00:00+00:00",
                    "submitted": "2026-11-27T12:20:00+00:00",
                    "answers": {q.id: {"answer": correct_response(q), "verdict": "correct", "score": q.points,
                                       "points": q.points, "time": "2026-11-27T12:10:00+00:00"} for q in tested}}]}
            steps.append(doc)
        result[number] = steps
    return result


def expected(doc: dict) -> set[tuple[str, str]]:
    """(kind, question id) of every answer a document holds."""
    found = {("practice", q) for q in doc["answers"]}
    for attempt in doc.get("assessment", {}).get("attempts", []):
        found |= {("assessment", q) for q in attempt["answers"]}
    return found


def stored(db) -> dict[str, set[tuple[str, str]]]:
    records = Records(str(db))
    try:
        result: dict[str, set] = {}
        for number, kind, _attempt, question, _time, _response in records.all_answers(BATCH):
            result.setdefault(number, set()).add((kind, question))
        return result
    finally:
        records.close()


def run_load(server: Server, work: dict[str, list[dict]], stop: threading.Event | None = None):
    """Hand in every learner's documents in order, many learners at once; return (acknowledged, latencies)."""
    acknowledged: list[tuple[str, dict]] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def learner(number: str) -> None:
        for doc in work[number]:
            if stop is not None and stop.is_set():
                return
            start = time.perf_counter()
            try:
                status, receipt = server.hand_in(number, doc)
            except OSError:
                return  # the server is gone: this hand-in was not acknowledged
            elapsed = time.perf_counter() - start
            if status != 200:
                return
            with lock:
                acknowledged.append((number, doc))
                latencies.append(elapsed)

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(learner, list(work)))
    return acknowledged, latencies


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_hundred_learners_hand_in_at_once_and_nothing_is_lost(tmp_path, request, backend):
    """SQLite: one process. PostgreSQL: a district's set-up, two processes sharing one database."""
    url = None
    if backend == "postgresql":
        admin, template = request.getfixturevalue("postgres")
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE IF EXISTS "serve_load"'))
            connection.execute(text('CREATE DATABASE "serve_load"'))
        url = template.format(db="serve_load")
    db, numbers = make_records(tmp_path, LEARNERS, db=url)
    book = tiny_book(tmp_path)
    servers = [Server(db, book, free_port(), ("--rate", "0")).start() for _ in range(2 if url else 1)]
    work = plans(numbers)
    shares = [{n: work[n] for n in numbers[i::len(servers)]} for i in range(len(servers))]
    try:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(servers)) as pool:
            done = list(pool.map(run_load, servers, shares))
        wall = time.perf_counter() - start
    finally:
        for server in servers:
            server.stop()
    acknowledged = [a for part, _ in done for a in part]
    latencies = [t for _, part in done for t in part]
    assert len(acknowledged) == 3 * LEARNERS
    have = stored(db)
    for number in numbers:
        assert have.get(number) == expected(work[number][-1]), number
    assert sum(map(len, have.values())) == 75 * LEARNERS
    cuts = statistics.quantiles(latencies, n=100)
    print(f"\n{backend} load ({len(servers)} process{'es' if len(servers) > 1 else ''}): {LEARNERS} learners x 75 answers "
          f"in 3 hand-ins, {CLIENTS} at once per process: {len(latencies)} requests "
          f"in {wall:.1f} s = {len(latencies) / wall:.1f} req/s; p50 {1000 * statistics.median(latencies):.0f} ms, "
          f"p95 {1000 * cuts[94]:.0f} ms, max {1000 * max(latencies):.0f} ms")


def test_kill_9_during_load_loses_no_acknowledged_hand_in(tmp_path):
    db, numbers = make_records(tmp_path, LEARNERS)
    book = tiny_book(tmp_path)
    server = Server(db, book, free_port(), ("--rate", "0")).start()
    work = plans(numbers)
    stop = threading.Event()
    result: list = []
    loader = threading.Thread(target=lambda: result.append(run_load(server, work, stop)))
    loader.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(stored(db)) < LEARNERS // 3:
        time.sleep(0.2)
    server.kill9()
    stop.set()
    loader.join(timeout=120)
    acknowledged, _ = result[0]
    assert 0 < len(acknowledged) < 3 * LEARNERS
    again = Server(db, book, free_port(), ("--rate", "0")).start()
    try:
        assert again.code == server.code  # learners keep the code they were given
        have = stored(db)
        for number, doc in acknowledged:
            assert expected(doc) <= have.get(number, set()), number
        # learners who were cut off send again: everything arrives, merged
        rest, _ = run_load(again, {n: [work[n][-1]] for n in numbers})
    finally:
        again.stop()
    assert len(rest) == LEARNERS
    have = stored(db)
    assert all(have[n] == expected(work[n][-1]) for n in numbers)
    print(f"\nkill -9 after {len(acknowledged)} acknowledged hand-ins: all present after the restart")
