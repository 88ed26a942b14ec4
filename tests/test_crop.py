"""The crop helper cuts the region a source bbox names out of a PDF page or a page image."""
import io

from PIL import Image, ImageDraw

from extractors.crop import crop_png


def test_crop_of_a_pdf_page_and_of_an_image(tmp_path):
    # a 200 dpi page image with a black box at (100..300 pt, 200..260 pt); also saved as PDF
    dpi = 200
    im = Image.new("RGB", (int(595 * dpi / 72), int(842 * dpi / 72)), "white")
    s = dpi / 72
    ImageDraw.Draw(im).rectangle([100 * s, 200 * s, 300 * s, 260 * s], fill="black")
    im.save(tmp_path / "p.png", dpi=(dpi, dpi))
    im.save(tmp_path / "p.pdf", resolution=dpi)
    for f in ("p.png", "p.pdf"):
        png = crop_png(tmp_path / f, 1, (100, 200, 300, 260), dpi=100, margin_pt=0)
        c = Image.open(io.BytesIO(png)).convert("L")
        assert abs(c.width - 200 * 100 / 72) <= 3 and abs(c.height - 60 * 100 / 72) <= 3, f
        assert sum(c.getdata()) / (c.width * c.height) < 40, f"{f}: the crop should be the black box"
    assert crop_png(tmp_path / "p.pdf", 9, (0, 0, 10, 10)) is None
