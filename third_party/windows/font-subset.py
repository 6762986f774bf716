#!/usr/bin/env python3
# The characters the Windows fallback font keeps (third_party/windows/package.sh): printable
# ASCII, CJK punctuation and full-width forms, every character of the string table and the
# sample catalog, and GB2312's 3755 common hanzi (level 1), which covers what village hosts,
# their products and their viewers' names write. One "U+XXXX" per line, for pyftsubset.
import json
import sys

repo = sys.argv[1]
chars = {chr(c) for c in range(0x20, 0x7F)}
chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF00, 0xFFF0)}
chars |= set("¥×…·—“”‘’")
for entry in json.load(open(f"{repo}/assets/strings.json", encoding="utf-8")).values():
    if isinstance(entry, dict):
        for text in entry.values():
            chars |= set(text)
chars |= set(open(f"{repo}/assets/sample-catalog.json", encoding="utf-8").read())
for high in range(0xB0, 0xD8):
    for low in range(0xA1, 0xFF):
        try:
            chars.add(bytes([high, low]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for c in sorted(chars):
    if ord(c) >= 0x20:
        print(f"U+{ord(c):04X}")
