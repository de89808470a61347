#!/usr/bin/env python3
"""Regenerates Sources/AssayServer/CommonPasswords.swift: the common passwords the service
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
    if len(word) >= 8 and word not in seen and word.isprintable() and '"""' not in word and word.strip() == word:
        seen.add(word)
        entries.append(word)

source = f'''// The most common passwords of at least 8 characters (the shorter ones are refused by length
// anyway): {len(entries)} entries, most common first, lowercased. From the "passwords" frequency list of
// zxcvbn (MIT licence, Dropbox; the list itself is Xato's 10 million leaked passwords, ranked).
// Regenerate with scripts/common-passwords.py.
enum CommonPasswords {{
    static let all: Set<Substring> = Set(text.split(separator: "\\n"))

    private static let text = #"""
{chr(10).join(entries)}
"""#
}}
'''
(root / "Sources/AssayServer/CommonPasswords.swift").write_text(source)
print(f"{len(entries)} common passwords")
