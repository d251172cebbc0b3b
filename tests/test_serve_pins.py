"""个人码 from the command line: `course records pins` writes 学号,姓名,个人码 (the codes the server accepts, the same
every time until reset); `course records slips` prints a slip per learner as a PDF; errors are one Chinese line."""
from __future__ import annotations

import csv
import re
import subprocess

import pytest

from exercises.trainer.print.slips import slip_url
from exercises.trainer.records.pins import ALPHABET, LENGTH, normalize_pin
from test_serve_process import BATCH, course, learner_pins, make_records

pytestmark = pytest.mark.process


def _rows(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_pins_csv_lists_every_learner_with_the_code_the_server_checks(tmp_path):
    db, numbers = make_records(tmp_path, 12)
    done = course("records", "pins", BATCH, "--csv", str(tmp_path / "out" / "个人码.csv"), db=db)
    assert done.returncode == 0 and "12 位学员" in done.stdout, done.stderr
    rows = _rows(tmp_path / "out" / "个人码.csv")
    assert rows[0] == ["学号", "姓名", "个人码"] and sorted(r[0] for r in rows[1:]) == numbers
    pins = {r[0]: r[2] for r in rows[1:]}
    assert all(len(p) == LENGTH and set(p) <= set(ALPHABET) for p in pins.values())
    assert len(set(pins.values())) == len(pins)
    assert pins == learner_pins(db)  # what the records keep, hence what a hand-in is checked against
    again = course("records", "pins", BATCH, "--csv", str(tmp_path / "again.csv"), db=db)
    assert again.returncode == 0 and {r[0]: r[2] for r in _rows(tmp_path / "again.csv")[1:]} == pins


def test_pins_csv_cells_cannot_become_formulas(tmp_path):
    db, _ = make_records(tmp_path, 2)
    roster = tmp_path / "hostile.csv"
    roster.write_text("学号,姓名,单位\n20001,\"=HYPERLINK(\"\"http://x\"\")\",科\n", "utf-8")
    assert course("records", "roster", BATCH, str(roster), db=db).returncode == 0
    assert course("records", "pins", BATCH, "--csv", str(tmp_path / "p.csv"), db=db).returncode == 0
    names = [r[1] for r in _rows(tmp_path / "p.csv")[1:]]
    assert "'=HYPERLINK(\"http://x\")" in names and not any(n.startswith("=") for n in names)


@pytest.mark.parametrize("case", ["unknown batch", "no roster", "unwritable"])
def test_pins_errors_are_one_chinese_line(tmp_path, case):
    db, _ = make_records(tmp_path, 2)
    batch, target = BATCH, str(tmp_path / "p.csv")
    if case == "unknown batch":
        batch = "没有这期"
    elif case == "no roster":
        batch = "空期次"
        assert course("records", "batch", batch, db=db).returncode == 0
    else:
        target = "/proc/个人码.csv"
    done = course("records", "pins", batch, "--csv", target, db=db)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and re.search(r"[\u4e00-\u9fff]", lines[0]), done.stderr
    assert "Traceback" not in done.stderr


def test_pins_normalise_as_typed_on_a_phone():
    assert normalize_pin(" ab-c 23d ") == "ABC23D"
    assert normalize_pin("ABC10D") == "" and normalize_pin("ABC") == "" and normalize_pin(None) == ""


def test_slip_address_carries_number_and_pin_in_the_fragment_only():
    url = slip_url("http://10.0.0.5:8000/#old", "A 1/2", "ABC23D")
    assert url == "http://10.0.0.5:8000/#handin-number=A%201%2F2&handin-pin=ABC23D"


@pytest.mark.tex
def test_slips_pdf_has_a_slip_per_learner(tmp_path):
    db, numbers = make_records(tmp_path, 12)
    out = tmp_path / "slips" / "个人码条.pdf"
    done = course("records", "slips", BATCH, "--url", "http://10.0.0.5:8000/", "--out", str(out), db=db, timeout=600)
    assert done.returncode == 0 and "12 张" in done.stdout, done.stderr
    pins = learner_pins(db)
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+2\b", pages), pages  # ten slips a page
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    for number in numbers:
        assert f"学号：{number}" in text and f"学员{number}" in text and pins[number] in text, number
    assert text.count("http://10.0.0.5:8000/") == 12
    assert not out.with_suffix(".tex").exists()  # the codes are left only in the PDF
    wrong = course("records", "slips", BATCH, "--url", "ftp://x", "--out", str(out), db=db)
    assert wrong.returncode == 1 and len(wrong.stderr.strip().splitlines()) == 1
