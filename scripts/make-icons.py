#!/usr/bin/env python3
"""Draws the PWA icons (public/icon-192.png, public/icon-512.png) with the
standard library only, so they can be rebuilt anywhere: python3 scripts/make-icons.py"""
import struct
import zlib

ACCENT = (0x3B, 0x5B, 0xDB)
# The favicon's three bars: (centre y, left x, right x) in a 32-unit box.
BARS = ((11 / 32, 9 / 32, 23 / 32), (16 / 32, 11 / 32, 21 / 32), (21 / 32, 13 / 32, 19 / 32))
HALF_THICKNESS = 1.25 / 32


def pixel(x: int, y: int, size: int) -> bytes:
    r = size * 0.22
    cx = min(max(x, r), size - 1 - r)
    cy = min(max(y, r), size - 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return bytes((0, 0, 0, 0))
    u, v = x / size, y / size
    for y0, x0, x1 in BARS:
        dx = max(x0 - u, 0, u - x1)
        if dx * dx + (v - y0) ** 2 <= HALF_THICKNESS**2:
            return bytes((255, 255, 255, 255))
    return bytes(ACCENT + (255,))


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png(size: int, path: str) -> None:
    raw = b"".join(b"\0" + b"".join(pixel(x, y, size) for x in range(size)) for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    for size in (192, 512):
        write_png(size, f"public/icon-{size}.png")
