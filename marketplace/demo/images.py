"""Product pictures drawn with Pillow, so the demo needs no downloads."""

import io
import random

from PIL import Image, ImageDraw, ImageFont

PALETTES = {
    "kopi": ((92, 58, 33), (196, 150, 102)),
    "madu": ((214, 140, 18), (250, 214, 120)),
    "keripik-camilan": ((200, 90, 40), (250, 200, 120)),
    "sambal-bumbu": ((170, 30, 30), (240, 130, 90)),
    "kue-kering": ((190, 130, 60), (250, 230, 180)),
    "jamu-herbal": ((180, 120, 0), (240, 220, 110)),
    "minuman-gula-aren": ((40, 110, 160), (170, 220, 240)),
    "batik": ((80, 50, 30), (200, 160, 100)),
    "sarung": ((30, 70, 120), (130, 170, 210)),
    "kerudung-hijab": ((120, 60, 110), (230, 190, 220)),
    "peci": ((20, 20, 20), (110, 110, 110)),
    "busana-muslim": ((20, 100, 90), (150, 210, 190)),
    "kerajinan-tangan": ((110, 80, 40), (210, 180, 130)),
    "kitab-buku": ((20, 80, 40), (160, 210, 160)),
    "sabun-kosmetik": ((90, 140, 60), (220, 240, 200)),
}


def draw_product_image(title: str, category_slug: str, seed: int, size: int = 480) -> bytes:
    rng = random.Random(seed)
    dark, light = PALETTES.get(category_slug, ((30, 100, 60), (200, 230, 210)))
    image = Image.new("RGB", (size, size), light)
    draw = ImageDraw.Draw(image)
    for y in range(0, size, 4):  # vertical gradient
        t = y / size
        colour = tuple(int(light[i] * (1 - t) + dark[i] * t * 0.35 + light[i] * t * 0.65) for i in range(3))
        draw.rectangle([0, y, size, y + 4], fill=colour)
    for _ in range(6):  # a batik-like scatter of motifs
        x, y, r = rng.randint(0, size), rng.randint(0, size), rng.randint(20, 70)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=dark, width=3)
    pad = size // 6
    draw.rounded_rectangle([pad, pad, size - pad, size - pad], radius=28, fill=dark)
    font = ImageFont.load_default(size=size // 12)
    words, lines, line = title.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) > size - 2 * pad - 24 and line:
            lines.append(line)
            line = word
        else:
            line = trial
    lines = (lines + [line])[:3]
    height = len(lines) * (size // 10)
    y = (size - height) // 2
    for text in lines:
        width = draw.textlength(text, font=font)
        draw.text(((size - width) / 2, y), text, font=font, fill=light)
        y += size // 10
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
