#!/usr/bin/env python3
"""Regenerates Sources/AssayServer/Resources/common-passwords.txt: the common passwords the service
refuses (NIST SP 800-63B asks to check new passwords against such a list). The list is zxcvbn's
"passwords" frequency list (MIT), kept from 8 characters up, lowercased, most common first."""
import pathlib, subprocess, sys, tempfile, zipfile

root = pathlib.Path(__file__).resolve().parent.parent
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "zxcvbn==4.5.0", "-d", tmp], check=True)
    wheel = next(pathlib.Path(tmp).glob("zxcvbn-*.whl"))
    zipfile.ZipFile(wheel).extractall(tmp)
    sys.path.insert(0, tmp)
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

seen, entries = set(), []
for word in FREQUENCY_LISTS["passwords"]:
    word = word.lower()
    if len(word) >= 8 and word not in seen and word.isprintable() and word.strip() == word:
        seen.add(word)
        entries.append(word)

(root / "Sources/AssayServer/Resources/common-passwords.txt").write_text("\n".join(entries) + "\n")
print(f"{len(entries)} common passwords")
