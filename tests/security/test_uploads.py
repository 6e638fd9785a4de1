"""An image is refused from its header when it would unpack to more pixels than a web process should hold: a 20 KB
PNG of 13000x13000 used to take 4.5 s and 1.5 GB."""

import struct
import zlib

import pytest

from marketplace.catalog.images import add_product_image
from marketplace.core.errors import ValidationError


def _png_bomb(side: int) -> bytes:
    """A black 1-bit PNG: tiny on disk, side² pixels once decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (side + 7) // 8)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * side, 9)) + \
        chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [8000, 13000])  # under and over Pillow's own bomb limit (89 MP)
def test_a_decompression_bomb_is_refused_before_decoding(db, make_product, side):
    product = make_product()
    bomb = _png_bomb(side)
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError, match="megapiksel"):
        add_product_image(product, bomb)
    assert product.images == []


def test_an_ordinary_photo_still_goes_in(db, make_product):
    from tests.seller_fixtures import png_bytes

    product = make_product()
    assert add_product_image(product, png_bytes((1600, 1200))).width == 1200
