import Foundation

/// A fresh folder per test, removed when the test lets go of it.
package final class TempFolder: Sendable {
    package let url: URL

    /// `purpose` names the folder (`assay-ingest-…`) so a leftover one says which tests made it.
    package init(_ purpose: String = "test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-\(purpose)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    package var path: String { url.path }

    /// A path inside the folder; nothing is created.
    package func file(_ relativePath: String) -> URL { url.appendingPathComponent(relativePath) }

    @discardableResult
    package func write(_ relativePath: String, _ text: String) throws -> URL {
        try write(relativePath, bytes: Array(text.utf8))
    }

    @discardableResult
    package func write(_ relativePath: String, bytes: [UInt8]) throws -> URL {
        let file = file(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file
    }

    /// A path in a folder that does not exist yet, for code that must create its own folders
    /// (a store opening a new database file). Nothing removes it: use it where no instance can live
    /// as long as the thing that writes there.
    package static func unusedPath(_ purpose: String, file name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("assay-\(purpose)-\(UUID().uuidString)")
            .appendingPathComponent(name)
            .path
    }
}
