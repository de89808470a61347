import Foundation

/// Every store protocol a front end uses, as one type: what `StoreLocation.open()` returns
/// for either backend.
public typealias AssayDatabase = Store & ReviewStore & AccountStore & BatchLedger & ClosableStore

/// Where the database is: a SQLite file, or a PostgreSQL database named by a `postgres://` URL
/// (`--db` or `ASSAY_DB`). Its description never shows a password.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresAddress)

    /// A `postgres://` or `postgresql://` URL is PostgreSQL; anything else is a SQLite file's path.
    public init(_ text: String) throws {
        self = PostgresAddress.isURL(text) ? .postgres(try PostgresAddress(url: text)) : .sqlite(path: text)
    }

    /// `--db` when given, else `ASSAY_DB` when set and not empty, else `assay.sqlite` here.
    public static func resolve(
        _ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws
        -> StoreLocation
    {
        try StoreLocation(option ?? environment["ASSAY_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "assay.sqlite")
    }

    /// Whether the database is there already. A SQLite file is created by opening it (`assay init`
    /// does); a PostgreSQL database is created on the server, its tables by opening it.
    public var exists: Bool {
        switch self {
        case .sqlite(let path): FileManager.default.fileExists(atPath: path)
        case .postgres: true
        }
    }

    /// Opens the database (creating a SQLite file when missing) with its schema brought up to date.
    public func open() async throws -> any AssayDatabase {
        switch self {
        case .sqlite(let path): try SQLiteStore(path: path)
        case .postgres(let address): try await PostgresStore(address: address)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let address): address.description
        }
    }
}
