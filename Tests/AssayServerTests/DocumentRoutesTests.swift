import AssayCore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import AssayServer

@Suite("Documents: upload, list, get, delete")
struct DocumentRoutesTests {
    @Test func uploadSeveralFilesListGetAndDelete() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let project = try await api.createProject(ada)
            let upload = try await api.upload(ada, project: project, files: [("a.txt", "First text."), ("b.md", "# Second\n\nText.")])
            #expect(upload.status == .created)
            let items = try #require(try upload.json()["items"]?.arrayValue)
            #expect(items.count == 2)
            #expect(items.map { $0["outcome"]?.stringValue } == ["inserted", "inserted"])
            let id = Int64(try #require(items[0]["document"]?["id"]?.doubleValue))
            #expect(items[0]["document"]?["text"] == nil)
            #expect(items[0]["document"]?["metadata"] == nil)

            let list = try await api.call(.get, "/projects/\(project)/documents", token: ada.access).json()
            #expect(list["items"]?.arrayValue?.map { $0["status"]?.stringValue } == ["ready", "ready"])
            #expect(list["items"]?.arrayValue?.allSatisfy { $0["text"] == nil && $0["metadata"] == nil } == true)
            #expect(
                try await api.call(.get, "/projects/\(project)/documents?status=failed", token: ada.access)
                    .json()["items"]?.arrayValue?.isEmpty == true)
            try await api.call(.get, "/projects/\(project)/documents?status=odd", token: ada.access).problem(
                .unprocessableContent, field: "status")

            let document = try await api.call(.get, "/documents/\(id)", token: ada.access).json()
            #expect(document["text"]?.stringValue == "First text.")
            #expect(document["external_id"]?.stringValue == "a.txt")
            #expect(document["metadata"] != nil)

            #expect(try await api.call(.delete, "/documents/\(id)", token: ada.access).status == .noContent)
            try await api.call(.get, "/documents/\(id)", token: ada.access).problem(.notFound)
            // Same content again is recognised.
            let again = try await api.upload(ada, project: project, files: [("b.md", "# Second\n\nText.")])
            #expect(try again.json()["items"]?[0]?["outcome"]?.stringValue == "unchanged")
        }
    }

    @Test func fileNamesNeverBecomePaths() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let project = try await api.createProject(ada)
            let upload = try await api.upload(ada, project: project, files: [("../../etc/passwd.txt", "x y z"), ("..\\win.txt", "w")])
            let names = try upload.json()["items"]?.arrayValue?.compactMap { $0["document"]?["external_id"]?.stringValue }
            #expect(names == ["passwd.txt", "win.txt"])
        }
    }

    @Test func badUploadsAreProblems() async throws {
        var small = try TestService()
        small.config.maxUploadBytes = 400
        small.config.maxFileBytes = 50
        try await small.test { api in
            let ada = try await api.register()
            let project = try await api.createProject(ada)
            try await api.upload(ada, project: project, files: [("big.txt", String(repeating: "x", count: 500))])
                .problem(.contentTooLarge)
            // Over the per-file limit but under the total: refused as it streams in, naming the file;
            // nothing of the upload is stored, not even the file before it.
            let over = try await api.upload(
                ada, project: project, files: [("ok.txt", "fine"), ("mid.txt", String(repeating: "y", count: 80))])
            #expect(try over.problem(.contentTooLarge, field: "files")["detail"]?.stringValue?.contains("mid.txt") == true)
            #expect(
                try await api.call(.get, "/projects/\(project)/documents", token: ada.access).json()["items"]?.arrayValue?.isEmpty == true)
            try await api.call(
                .post, "/projects/\(project)/documents", token: ada.access,
                body: ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nabc"),
                headers: [.contentType: "multipart/form-data; boundary=b"]
            ).problem(.badRequest, field: "body")
            try await api.call(.post, "/projects/\(project)/documents", token: ada.access, json: "{}")
                .problem(.unsupportedMediaType)
            try await api.call(
                .post, "/projects/\(project)/documents", token: ada.access,
                body: ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--b--\r\n"),
                headers: [.contentType: "multipart/form-data; boundary=b"]
            ).problem(.unprocessableContent, field: "files")
            let unsupported = try await api.upload(ada, project: project, files: [("data.bin", "abc")])
            #expect(try unsupported.json()["items"]?[0]?["document"]?["status"]?.stringValue == "failed")
        }
    }

    @Test func anotherUsersDocumentsAreNotFound() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let bob = try await api.register("bob@example.org")
            let (project, documents) = try await api.researchProject(ada, documents: 1)
            let id = try #require(documents.first)
            try await api.call(.get, "/documents/\(id)", token: bob.access).problem(.notFound)
            try await api.call(.delete, "/documents/\(id)", token: bob.access).problem(.notFound)
            try await api.call(.get, "/projects/\(project)/documents", token: bob.access).problem(.notFound)
            try await api.upload(bob, project: project, files: [("x.txt", "x")]).problem(.notFound)
            #expect(try await api.call(.get, "/documents/\(id)", token: ada.access).status == .ok)
        }
    }

    static let article = """
        Thousands of teachers marched through Lisbon on Saturday to demand higher pay and smaller classes. \
        The unions said more than fifty thousand people took part; the police gave no figure. The minister \
        said talks would resume on Monday, and schools in Porto were closed as staff joined local rallies.
        """

    /// An upload can leave duplicates out (`skip_duplicates`); kept ones say what they duplicate, and
    /// the project's duplicates are listed with the threshold asked for.
    @Test func duplicatesAreSkippedOrMarkedAndListed() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let bob = try await api.register("bob@example.org")
            let project = try await api.createProject(ada)
            let first = try await api.upload(ada, project: project, files: [("a.txt", Self.article), ("b.txt", Self.article)])
            let items = try #require(try first.json()["items"]?.arrayValue)
            #expect(items.map { $0["outcome"]?.stringValue } == ["inserted", "inserted"])
            #expect(items[0]["duplicate_of"] == nil)
            #expect(items[1]["duplicate_of"]?["original_external_id"]?.stringValue == "a.txt")
            #expect(items[1]["duplicate_of"]?["exact"] == true)

            let skipped = try await api.upload(
                ada, project: project, files: [("c.txt", "Breaking. " + Self.article)],
                query: "?skip_duplicates=true&duplicate_threshold=0.7")
            let item = try #require(try skipped.json()["items"]?[0])
            #expect(item["outcome"]?.stringValue == "skipped")
            #expect(item["document"] == nil)
            #expect(item["external_id"]?.stringValue == "c.txt")
            #expect(item["duplicate_of"]?["exact"] == false)

            let listed = try await api.call(.get, "/projects/\(project)/documents/duplicates", token: ada.access).json()
            #expect(listed["items"]?.arrayValue?.map { $0["external_id"]?.stringValue } == ["b.txt"])
            #expect(try await api.call(.get, "/projects/\(project)/documents", token: ada.access).json()["items"]?.arrayValue?.count == 2)

            try await api.call(.get, "/projects/\(project)/documents/duplicates?threshold=0.1", token: ada.access)
                .problem(.unprocessableContent, field: "threshold")
            try await api.upload(ada, project: project, files: [("d.txt", "x")], query: "?duplicate_threshold=abc")
                .problem(.unprocessableContent, field: "duplicate_threshold")
            try await api.upload(ada, project: project, files: [("d.txt", "x")], query: "?skip_duplicates=maybe")
                .problem(.unprocessableContent, field: "skip_duplicates")
            try await api.call(.get, "/projects/\(project)/documents/duplicates", token: bob.access).problem(.notFound)
        }
    }
}
