import AssayEngine
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// Files of a `multipart/form-data` upload. The body is read up to a limit first, so a huge
/// upload is refused before it fills memory; file names are kept as names only.
enum MultipartUpload {
    static func files(in request: Request, limit: Int) async throws -> [Workspace.Upload] {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let boundary = parameter("boundary", in: type) else {
            throw APIProblem(.unsupportedMediaType, "send the files as multipart/form-data (curl -F files=@a.txt)", field: "body")
        }
        let body = try await request.bodyData(limit: limit)
        var uploads: [Workspace.Upload] = []
        var headers: [(String, String)] = []
        var data = Data()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { buffer in data.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            if let name = parameter("filename", in: disposition) {
                uploads.append(Workspace.Upload(fileName: name, data: data))
            }
            headers = []
            data = Data()
        }
        do {
            try parser.execute([UInt8](body))
        } catch {
            throw APIProblem(.badRequest, "the multipart body could not be read: \(error)", field: "body")
        }
        guard !uploads.isEmpty else {
            throw APIProblem.invalid("files", "no file in the upload; send one or more parts with a filename (curl -F files=@a.txt)")
        }
        return uploads
    }

    /// A `key=value` or `key="value"` parameter of a header value.
    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard pair.lowercased().hasPrefix(key.lowercased() + "=") else { continue }
            var value = String(pair.dropFirst(key.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
