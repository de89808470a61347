import Foundation

/// The files in `Tests/Fixtures/readers`, made by real tools (LibreOffice, qpdf, poppler, Python's
/// zipfile; `make-fixtures.sh` there says how) for the PDF, DOCX, ODT and HTML readers' tests.
package enum ReaderFixtures {
    package static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/readers")

    package static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    package static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

}
