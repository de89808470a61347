import Foundation
import ZIPFoundation

/// A ZIP file built in memory (deflated entries) — the container of .xlsx and .qdpx.
enum ZipPackage {
    static func make(_ entries: [(path: String, data: Data)]) throws -> Data {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            // A fixed date: the same dataset gives the same bytes.
            let date = Date(timeIntervalSince1970: 1_577_836_800)
            for entry in entries {
                let data = entry.data
                try archive.addEntry(
                    with: entry.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                    compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
                }
            }
            guard let data = archive.data else { throw ExportError.cannotWrite(path: "(memory)", reason: "the ZIP archive is empty") }
            return data
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError.cannotWrite(path: "(memory)", reason: "could not build the ZIP archive: \(error)")
        }
    }
}
