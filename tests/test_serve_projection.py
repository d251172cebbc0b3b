"""The projected page of `course serve` in Chromium at a projector's 1280×720 and 1920×1080: the batch code, the
QR code (scaled to the screen, centred in its column), the expiry and the one-line instruction are all inside the
viewport, nothing scrolls, and the screenshot is the size of the screen."""
from __future__ import annotations

import struct

import pytest

from test_serve_process import PASSWORD, records_db, server  # noqa: F401  (the running course serve fixture)

pytestmark = pytest.mark.process
SIZES = [(1280, 720), (1920, 1080)]
VISIBLE = (".project-code", ".project-qr svg", ".project-expiry", ".project-instruction", ".project-address")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("width,height", SIZES)
def test_projection_fits_the_screen(server, chromium, tmp_path, width, height):  # noqa: F811
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server.url + "trainer/login")
    page.get_by_label("培训师密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/trainer")
    page.goto(server.url + "trainer/project")
    shot = tmp_path / f"projection-{width}x{height}.png"
    assert _png_size(page.screenshot(path=str(shot))) == (width, height)
    assert page.locator(".project-code").inner_text() == server.code
    assert "交给培训师" in page.locator(".project-instruction").inner_text()
    for selector in VISIBLE:
        box = page.locator(selector).bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, selector
        assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, (selector, box)
    lines = page.locator(".project-instruction").evaluate(
        "el => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight))")
    assert lines <= 2, lines  # one line, at most wrapped once on the narrow screen
    qr = page.locator(".project-qr svg").bounding_box()
    column = page.locator(".project-qr").bounding_box()
    assert qr["height"] >= 0.6 * height and abs(qr["width"] - qr["height"]) < 2  # scaled to the screen, square
    assert abs((qr["y"] + qr["height"] / 2) - height / 2) < 0.05 * height  # centred vertically
    assert abs((qr["x"] + qr["width"] / 2) - (column["x"] + column["width"] / 2)) < 2  # centred in its column
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert scroll == [width, height], scroll
    context.close()
