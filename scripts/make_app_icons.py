"""Draws the installable app's icons once (committed under hub/assets/hub/img/): the favicon's white
"JMD" on the brand blue of hub.css. Run again only to change them: .venv/bin/python scripts/make_app_icons.py
Pillow comes with Wagtail; no asset from outside."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND, INK = "#005f87", "#ffffff"
OUT = Path(__file__).resolve().parent.parent / "hub" / "assets" / "hub" / "img"


def icon(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:  # full bleed: the launcher cuts its own shape; the text stays in the central 80 % circle
        draw.rectangle((0, 0, size, size), fill=BRAND)
        text_width = size * 0.56
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=BRAND)
        text_width = size * 0.78
    font_size = size // 2
    font = ImageFont.load_default(size=font_size)
    while draw.textlength("JMD", font=font) > text_width:
        font_size -= 2
        font = ImageFont.load_default(size=font_size)
    draw.text((size / 2, size / 2), "JMD", font=font, fill=INK, anchor="mm")
    return image


if __name__ == "__main__":
    for name, size, maskable in (
        ("app-icon-192.png", 192, False),
        ("app-icon-512.png", 512, False),
        ("app-icon-maskable-512.png", 512, True),
    ):
        icon(size, maskable=maskable).save(OUT / name, optimize=True)
        print(OUT / name)
