import AssayEngine
import AssayService
import Foundation
import NIOCore
import Testing

@testable import AssayServer

@Suite("Multipart uploads parsed as they stream in")
struct MultipartStreamTests {
    static let body =
        "preamble\r\n--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\nfirst\r\n--xy not yet\r\n\r\n--xyz\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
        + "skip me\r\n--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"b.txt\"\r\n\r\n\r\n--xyz--\r\nepilogue"

    /// The same files whatever the chunk size: boundaries cut across chunks are still found.
    @Test(arguments: [1, 2, 3, 7, 16, 1000])
    func partsAreFoundInAnyChunking(size: Int) throws {
        var stream = MultipartStream(boundary: "xyz")
        var collector = MultipartUpload.Collector(fileLimit: 1000)
        let bytes = Array(Self.body.utf8)
        for start in stride(from: 0, to: bytes.count, by: size) {
            try stream.feed(ByteBuffer(bytes: bytes[start..<min(bytes.count, start + size)])) { try collector.take($0) }
        }
        #expect(stream.isComplete)
        #expect(collector.uploads.map(\.fileName) == ["a.txt", "b.txt"])
        #expect(collector.uploads.map { String(decoding: $0.data, as: UTF8.self) } == ["first\r\n--xy not yet\r\n", ""])
    }

    @Test func aFileOverTheLimitStopsTheParse() throws {
        var stream = MultipartStream(boundary: "xyz")
        var collector = MultipartUpload.Collector(fileLimit: 3)
        #expect(throws: APIProblem.self) {
            try stream.feed(ByteBuffer(string: Self.body)) { try collector.take($0) }
        }
        #expect(collector.uploads.isEmpty)
    }

    @Test func aBoundaryFollowedByGarbageIsASyntaxError() throws {
        var stream = MultipartStream(boundary: "xyz")
        #expect(throws: MultipartStream.SyntaxError.self) {
            try stream.feed(ByteBuffer(string: "--xyzGARBAGE")) { _ in }
        }
    }
}
