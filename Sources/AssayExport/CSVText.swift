import CSV
import Foundation

/// Builds RFC 4180 text with CSV.swift's `CSVWriter`: CRLF between records, a field quoted only
/// when it holds a comma, a quote, CR or LF, quotes doubled, UTF-8.
///
/// `CSVWriter` writes the line break before each record after the first, so the last record
/// has none; RFC 4180 allows that, but `wc -l`, `cat` and most writers end every record, so
/// `finish()` adds the final CRLF.
final class CSVText {
    private let stream: OutputStream
    private let writer: CSVWriter
    private var rows = 0

    init(header: [String]) throws {
        stream = OutputStream(toMemory: ())
        writer = try CSVWriter(stream: stream, newline: .crlf)
        try writer.write(row: header)
    }

    func append(_ row: [String]) throws {
        try writer.write(row: row)
        rows += 1
    }

    func finish() throws -> String {
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw CSVError.cannotWriteStream
        }
        stream.close()
        return String(decoding: data, as: UTF8.self) + "\r\n"
    }
}
