// The most common passwords of at least 8 characters (the shorter ones are refused by length
// anyway), one a line in Resources/common-passwords.txt, most common first, lowercased. From the
// "passwords" frequency list of zxcvbn (MIT licence, Dropbox; the list itself is Xato's 10 million
// leaked passwords, ranked). Regenerate with scripts/common-passwords.py. The file is compiled
// into the binary (SwiftPM's embedInCode), so an `assay` copied on its own still has it.
enum CommonPasswords {
    /// Built at first use (a static let is initialised once, thread-safely).
    static let all: Set<Substring> = Set(
        String(decoding: PackageResources.common_passwords_txt, as: UTF8.self).split(separator: "\n"))
}
