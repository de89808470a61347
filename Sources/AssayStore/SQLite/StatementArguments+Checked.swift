import GRDB

extension StatementArguments {
    /// A statement's arguments, refusing text with a NUL character (U+0000). GRDB hands strings to
    /// SQLite as C strings, which end at the first NUL, so "a\u{0}b" would be stored, or looked up,
    /// as "a" without a word. Every statement with arguments goes through this; the readers above
    /// the store refuse such text earlier, with a reason that names its place.
    package static func checked(_ values: [(any DatabaseValueConvertible)?]) throws(StoreError) -> StatementArguments {
        for value in values {
            if case .string(let text)? = value?.databaseValue.storage { try refuseNUL(text, field: "text") }
        }
        return StatementArguments(values)
    }

    /// Throws `StoreError.nulCharacter` naming `field` when `text` holds a NUL; for the fields a
    /// client names itself (a project's name), so the error can name them too.
    static func refuseNUL(_ text: String?, field: String) throws(StoreError) {
        if let text, text.utf8.contains(0) { throw .nulCharacter(field: field) }
    }
}
