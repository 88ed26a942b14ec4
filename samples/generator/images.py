"""Pillow drawings: a red official seal, a handwritten-looking signature, certificate scans."""
from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SANS_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SERIF_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
SC = 2  # face index of the Simplified Chinese face in the Noto CJK collections


def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=SC)


def _png(img: Image.Image, colors: int | None = None) -> bytes:
    if colors:
        img = img.convert("RGBA")
        alpha = img.getchannel("A")
        q = img.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        q = q.convert("RGBA")
        q.putalpha(alpha.point(lambda a: 255 if a > 96 else 0))
        img = q.quantize(colors=colors + 1, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill) -> None:
    pts = []
    for i in range(10):
        ang = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.382
        pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
    draw.polygon(pts, fill=fill)


def seal_png(name: str, rng: random.Random, size: int = 320, bottom: str = "") -> bytes:
    """A round red official seal: outer ring, unit name along the upper rim, a star, an
    optional word ('公章'-style line) below the star. Slightly uneven ink, transparent ground."""
    big = size * 2
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red = (214, 28, 38, 235)
    c = big / 2
    ring = big * 0.035
    d.ellipse((ring / 2, ring / 2, big - ring / 2, big - ring / 2), outline=red, width=int(ring))
    _star(d, c, c, big * 0.14, red)
    n = len(name)
    fsize = int(big * (0.125 if n <= 12 else 0.105 if n <= 15 else 0.09))
    fnt = font(SANS_BOLD, fsize)
    span = math.radians(min(250, 28 + 19.5 * n))  # arc covered by the name
    radius = big / 2 - ring - fsize * 0.72
    for i, ch in enumerate(name):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        x, y = c + radius * math.cos(a), c + radius * math.sin(a)
        tile = Image.new("RGBA", (fsize * 2, fsize * 2), (0, 0, 0, 0))
        td = ImageDraw.Draw(tile)
        td.text((fsize, fsize), ch, font=fnt, fill=red, anchor="mm")
        tile = tile.rotate(-math.degrees(a + math.pi / 2), resample=Image.BICUBIC)
        img.alpha_composite(tile, (int(x - fsize), int(y - fsize)))
    if bottom:
        bf = font(SANS_BOLD, int(big * 0.075))
        d.text((c, c + big * 0.27), bottom, font=bf, fill=red, anchor="mm")
    # uneven ink: knock out random specks
    px = img.load()
    for _ in range(big * 6):
        x, y = rng.randrange(big), rng.randrange(big)
        r_, g_, b_, a_ = px[x, y]
        if a_:
            for dx in range(3):
                for dy in range(3):
                    if 0 <= x + dx < big and 0 <= y + dy < big:
                        q = px[x + dx, y + dy]
                        px[x + dx, y + dy] = (q[0], q[1], q[2], int(q[3] * 0.35))
    img = img.resize((size, size), Image.LANCZOS).rotate(rng.uniform(-12, 12), resample=Image.BICUBIC)
    return _png(img, colors=12)


def _bezier(p0, p1, p2, p3, n=40):
    for i in range(n + 1):
        t = i / n
        mt = 1 - t
        yield (mt ** 3 * p0[0] + 3 * mt * mt * t * p1[0] + 3 * mt * t * t * p2[0] + t ** 3 * p3[0],
               mt ** 3 * p0[1] + 3 * mt * mt * t * p1[1] + 3 * mt * t * t * p2[1] + t ** 3 * p3[1])


def _catmull(points, n=14):
    pts = [points[0]] + points + [points[-1]]
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(n):
            t = k / n
            t2, t3 = t * t, t * t * t
            yield tuple(0.5 * (2 * p1[j] + (-p0[j] + p2[j]) * t + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2
                               + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3) for j in (0, 1))
    yield points[-1]


def signature_png(rng: random.Random, width: int = 420, height: int = 150) -> bytes:
    """A cursive-looking signature: 2-3 'characters', each one smooth pen stroke through
    jittered points (Catmull-Rom), with pen width swelling and thinning, plus a flourish."""
    s = 2
    W, H = width * s, height * s
    img = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    ink = rng.choice([(20, 40, 140, 255), (15, 15, 20, 255), (30, 55, 160, 255)])
    x = W * 0.07
    slant = rng.uniform(0.15, 0.35)
    nglyph = rng.randint(2, 3)
    gw = W * 0.8 / nglyph
    for _g in range(nglyph):
        for _stroke in range(rng.randint(1, 2)):
            pts = []
            k = rng.randint(6, 9)
            for i in range(k):
                yy = H * rng.uniform(0.18, 0.8)
                xx = x + gw * 0.85 * (i / (k - 1)) + rng.uniform(-gw * 0.18, gw * 0.18) + (H / 2 - yy) * slant
                pts.append((xx, yy))
            curve = list(_catmull(pts))
            for i, (q0, q1) in enumerate(zip(curve, curve[1:])):
                w = 2.5 + 5.5 * math.sin(math.pi * i / len(curve)) ** 0.7
                d.line([q0, q1], fill=ink, width=int(w), joint="curve")
        x += gw
    a = (W * 0.05, H * 0.86)
    b = (x - gw * 0.1, H * rng.uniform(0.62, 0.78))
    flourish = list(_bezier(a, (W * 0.35, H * 1.02), (W * 0.7, H * 0.6), b))
    for i, (q0, q1) in enumerate(zip(flourish, flourish[1:])):
        d.line([q0, q1], fill=ink, width=int(2 + 4 * (1 - i / len(flourish))))
    img = img.filter(ImageFilter.GaussianBlur(0.9)).resize((width, height), Image.LANCZOS)
    return _png(img, colors=8)


def certificate_png(title: str, lines: list[str], issuer: str, date: str, rng: random.Random,
                    number: str, seal_name: str) -> bytes:
    """A greyish 'scan' of a certificate: border, title, body lines, number, seal, slight tilt."""
    W, H = 1000, 720
    bg = (247, 244, 236)
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    gold = (150, 110, 40)
    d.rectangle((24, 24, W - 24, H - 24), outline=gold, width=6)
    d.rectangle((40, 40, W - 40, H - 40), outline=gold, width=2)
    d.text((W / 2, 120), title, font=font(SERIF_BOLD, 58), fill=(150, 20, 20), anchor="mm")
    body = font(SERIF, 30)
    y = 215
    for line in lines:
        d.text((110, y), line, font=body, fill=(30, 30, 30))
        y += 52
    small = font(SERIF, 24)
    d.text((110, H - 110), f"编号：{number}", font=small, fill=(60, 60, 60))
    d.text((W - 110, H - 150), issuer, font=font(SERIF, 28), fill=(30, 30, 30), anchor="ra")
    d.text((W - 110, H - 105), date, font=small, fill=(30, 30, 30), anchor="ra")
    seal = Image.open(io.BytesIO(seal_png(seal_name, rng, size=230))).convert("RGBA")
    img.paste(seal, (W - 340, H - 280), seal)
    img = img.rotate(rng.uniform(-1.2, 1.2), resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    # scanner noise
    px = img.load()
    for _ in range(6000):
        x, yy = rng.randrange(W), rng.randrange(H)
        v = rng.randint(150, 230)
        px[x, yy] = (v, v, v)
    img = img.resize((W * 3 // 4, H * 3 // 4), Image.LANCZOS)
    img = img.quantize(colors=24, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
