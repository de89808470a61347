"""Hostile DOCX files for the reader tests, built with Python's zipfile from notes.docx.

- bomb.docx: word/document.xml is 200 MB of zeros (compressed about 1000 times): refused from the
  central directory (ratio and total size).
- lying-bomb.docx: the same kind of part, 20 MB, whose sizes in both headers are rewritten to a
  small number, so only counting while inflating catches it.
- laughs.docx: word/document.xml is a "billion laughs" entity bomb.
"""
import struct
import zipfile

with zipfile.ZipFile("notes.docx") as source:
    parts = {name: source.read(name) for name in source.namelist()}


def write(path, replace):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, replace.get(name, data))


write("bomb.docx", {"word/document.xml": b"\0" * (200 * 1024 * 1024)})

write("lying-bomb.docx", {"word/document.xml": b" " * (20 * 1024 * 1024)})
data = bytearray(open("lying-bomb.docx", "rb").read())
name = b"word/document.xml"
# Local file header: signature PK\3\4, uncompressed size at offset 22; central directory entry:
# signature PK\1\2, uncompressed size at offset 24. Claim 4000 bytes in both.
for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
    start = 0
    while (start := data.find(signature, start)) != -1:
        if data[start + name_offset : start + name_offset + len(name)] == name:
            struct.pack_into("<I", data, start + size_offset, 4000)
        start += 4
open("lying-bomb.docx", "wb").write(bytes(data))

laughs = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>
"""
write("laughs.docx", {"word/document.xml": laughs})
