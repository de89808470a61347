import Foundation
import PostgresNIO

/// A statement with its values bound, written as one string: `"SELECT * FROM documents WHERE id = \(id)"`.
///
/// Every interpolated value becomes a bind parameter, never SQL text. Text with a NUL character
/// (U+0000) is refused when the statement is run (`checked()`), as `StatementArguments.checked`
/// refuses it for SQLite: PostgreSQL text cannot hold NUL either, and the store's error says so the
/// same way on both. Statements concatenate (`+`, `append`): parameters are numbered only when the
/// statement is run, so a filter can be assembled from parts.
package struct SQL: ExpressibleByStringInterpolation, Sendable {
    /// The text with `placeholder` where a parameter goes.
    fileprivate var text: String
    fileprivate var binds: [@Sendable (inout PostgresBindings) throws -> Void]
    /// Whether a bound text holds a NUL; reported by `checked()`, as interpolation cannot throw.
    fileprivate var holdsNUL: Bool

    /// Marks a parameter's place until it is numbered; never part of the SQL the store writes.
    fileprivate static let placeholder: Character = "\u{1}"

    package init(stringLiteral value: String) {
        text = value
        binds = []
        holdsNUL = false
    }

    package init(stringInterpolation: Interpolation) {
        text = stringInterpolation.text
        binds = stringInterpolation.binds
        holdsNUL = stringInterpolation.holdsNUL
    }

    package static func + (lhs: SQL, rhs: SQL) -> SQL {
        var joined = lhs
        joined.append(rhs)
        return joined
    }

    package mutating func append(_ other: SQL) {
        text += other.text
        binds += other.binds
        holdsNUL = holdsNUL || other.holdsNUL
    }

    /// The statement for postgres-nio, parameters numbered `$1`, `$2`, … in order; throws
    /// `StoreError.nulCharacter` when a bound text holds a NUL.
    package func checked() throws -> PostgresQuery {
        if holdsNUL { throw StoreError.nulCharacter(field: "text") }
        var sql = ""
        sql.reserveCapacity(text.utf8.count + binds.count * 2)
        var number = 0
        for character in text {
            if character == Self.placeholder {
                number += 1
                sql += "$\(number)"
            } else {
                sql.append(character)
            }
        }
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds { try bind(&bindings) }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    package struct Interpolation: StringInterpolationProtocol {
        fileprivate var text = ""
        fileprivate var binds: [@Sendable (inout PostgresBindings) throws -> Void] = []
        fileprivate var holdsNUL = false

        package init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount)
        }

        package mutating func appendLiteral(_ literal: String) { text += literal }

        /// Text, checked for NUL.
        package mutating func appendInterpolation(_ value: String?) {
            if let value, value.utf8.contains(0) { holdsNUL = true }
            bind { $0.append(value) }
        }

        /// Texts as one array parameter (`= ANY(…)`), each checked for NUL.
        package mutating func appendInterpolation(_ values: [String]) {
            if values.contains(where: { $0.utf8.contains(0) }) { holdsNUL = true }
            bind { try $0.append(values) }
        }

        /// Ids as one array parameter (`= ANY(…)`).
        package mutating func appendInterpolation(_ values: [Int64]) {
            bind { try $0.append(values) }
        }

        /// Numbers, flags, dates and bytes: nothing in them to check.
        package mutating func appendInterpolation<Value: PostgresNonThrowingEncodable & Sendable>(_ value: Value?) {
            bind { $0.append(value) }
        }

        /// Bytes (a fingerprint).
        package mutating func appendInterpolation(_ value: Data) {
            bind { try $0.append(value) }
        }

        /// SQL text the store itself wrote (an ORDER BY clause, a list of columns); never a caller's value.
        package mutating func appendInterpolation(unescaped sql: String) { text += sql }

        private mutating func bind(_ append: @escaping @Sendable (inout PostgresBindings) throws -> Void) {
            text.append(SQL.placeholder)
            binds.append(append)
        }
    }
}

extension SQL {
    /// Throws `StoreError.nulCharacter` naming `field` when `text` holds a NUL; for the fields a
    /// client names itself (a project's name), so the error can name them too.
    static func refuseNUL(_ text: String?, field: String) throws(StoreError) {
        if let text, text.utf8.contains(0) { throw .nulCharacter(field: field) }
    }
}
