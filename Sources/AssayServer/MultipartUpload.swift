import AssayService
import Foundation
import Hummingbird
import NIOCore

/// Files of a `multipart/form-data` upload, parsed while the body streams in. An upload over
/// the total limit, or a file over the per-file limit, is refused (413) as soon as the limit is
/// passed: nothing past it is read, and the connection is closed so the client stops sending.
/// File names are kept as names only.
enum MultipartUpload {
    static func files(in request: Request, limit: Int, fileLimit: Int) async throws -> [Upload] {
        try await form(in: request, limit: limit, fileLimit: fileLimit).files
    }

    /// The files, and the short form fields beside them (such as `ocr=true`).
    static func form(in request: Request, limit: Int, fileLimit: Int) async throws -> (files: [Upload], fields: [String: String]) {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = parameter("boundary", in: type), !boundary.isEmpty, boundary.utf8.count <= 70
        else {
            throw APIProblem(.unsupportedMediaType, "send the files as multipart/form-data (curl -F files=@a.txt)", field: "body")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw tooLarge("the upload is \(length) bytes, over the limit of \(limit) bytes")
        }
        var collector = Collector(fileLimit: fileLimit)
        var stream = MultipartStream(boundary: boundary)
        var received = 0
        do {
            for try await chunk in request.body {
                received += chunk.readableBytes
                guard received <= limit else { throw tooLarge("the upload is over the limit of \(limit) bytes") }
                try stream.feed(chunk) { try collector.take($0) }
                if stream.isComplete { break }
            }
        } catch let error as MultipartStream.SyntaxError {
            throw APIProblem(.badRequest, "the multipart body could not be read: \(error)", field: "body")
        }
        guard stream.isComplete else {
            throw APIProblem(.badRequest, "the multipart body ended before its closing boundary", field: "body")
        }
        guard !collector.uploads.isEmpty else {
            throw APIProblem.invalid("files", "no file in the upload; send one or more parts with a filename (curl -F files=@a.txt)")
        }
        return (collector.uploads, collector.fields)
    }

    /// Keeps the parts that carry a file name, and short fields without one (options such as
    /// `ocr`); a field's value past `fieldLimit` bytes, or fields past `maxFields`, are dropped.
    struct Collector {
        let fileLimit: Int
        var uploads: [Upload] = []
        var fields: [String: String] = [:]
        static let fieldLimit = 100
        static let maxFields = 20
        private var name: String?
        private var field: String?
        private var data = Data()

        init(fileLimit: Int) { self.fileLimit = fileLimit }

        mutating func take(_ event: MultipartStream.Event) throws {
            switch event {
            case .partStart(let headers):
                let disposition = headers.first { $0.0 == "content-disposition" }?.1 ?? ""
                name = MultipartUpload.parameter("filename", in: disposition)
                field = name == nil ? MultipartUpload.parameter("name", in: disposition) : nil
                data = Data()
            case .body(let bytes):
                guard let name else {
                    if field != nil, data.count + bytes.readableBytes <= Self.fieldLimit {
                        data.append(contentsOf: bytes.readableBytesView)
                    }
                    return
                }
                guard data.count + bytes.readableBytes <= fileLimit else {
                    throw MultipartUpload.tooLarge(
                        "the file '\(name)' is over the per-file limit of \(fileLimit) bytes; nothing was stored")
                }
                data.append(contentsOf: bytes.readableBytesView)
            case .partEnd:
                if let name { uploads.append(Upload(fileName: name, data: data)) }
                if let field, fields.count < Self.maxFields { fields[field] = String(decoding: data, as: UTF8.self) }
                name = nil
                field = nil
                data = Data()
            }
        }
    }

    static func tooLarge(_ detail: String) -> APIProblem {
        var problem = APIProblem(.contentTooLarge, detail, field: "files")
        problem.closeConnection = true
        return problem
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
