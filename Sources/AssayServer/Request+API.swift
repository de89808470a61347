import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// The JSON body as `T`, read up to `limit` bytes; decoding errors name the field.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let data = try await bodyData(limit: limit)
        guard !data.isEmpty else { throw APIProblem(.badRequest, "a JSON body is required", field: "body") }
        return try APIJSON.decoder().decode(T.self, from: data)
    }

    /// The JSON body, or nil when there is none (an optional body).
    func decodeOptionalJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T? {
        let data = try await bodyData(limit: limit)
        return data.isEmpty ? nil : try APIJSON.decoder().decode(T.self, from: data)
    }

    /// The raw body, or 413 past `limit`.
    func bodyData(limit: Int) async throws -> Data {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            // The rest of the body is not read: the connection closes after the answer.
            var problem = APIProblem(.contentTooLarge, "the body is over the limit of \(limit) bytes")
            problem.closeConnection = true
            throw problem
        }
    }

    /// A query parameter as an integer in a range; a bad value is a validation error naming it.
    func queryInt(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = uri.queryParameters.get(name) else { return value }
        guard let number = Int(raw), range.contains(number) else {
            throw APIProblem.invalid(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func queryInt64(_ name: String) throws -> Int64? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let number = Int64(raw) else { throw APIProblem.invalid(name, "must be a whole number") }
        return number
    }

    func queryDouble(_ name: String) throws -> Double? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let number = Double(raw), number.isFinite else { throw APIProblem.invalid(name, "must be a number") }
        return number
    }

    /// A true/false query parameter (`true`/`false`, `1`/`0`, `yes`/`no`), nil when absent.
    func queryBool(_ name: String) throws -> Bool? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let flag = Self.flag(raw) else { throw APIProblem.invalid(name, "must be true or false") }
        return flag
    }

    static func flag(_ raw: String) -> Bool? {
        switch raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off", "": false
        default: nil
        }
    }

    func queryEnum<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let value = T(rawValue: raw) else {
            throw APIProblem.invalid(name, "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }
}

extension Parameters {
    /// A path id; anything but a positive integer answers 404, like an id that does not exist.
    func id(_ name: String = "id", what: String) throws -> Int64 {
        guard let raw = get(name), let id = Int64(raw), id > 0 else { throw APIProblem.notFound(what) }
        return id
    }
}

/// A JSON response with any status.
struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var body: Body

    init(_ body: Body, status: HTTPResponse.Status = .ok) {
        self.status = status
        self.body = body
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try APIJSON.encoder().encode(body)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
