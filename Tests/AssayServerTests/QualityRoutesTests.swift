import AssayCore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import AssayServer

@Suite("Quality: coders, agreement, gold sets")
struct QualityRoutesTests {
    /// The fake model codes doc1–doc3 as City1–City3, 100–300 people, no violence.
    static let sheet = """
        document,coder,variable,value
        doc1.txt,ann,violence,no
        doc1.txt,bob,violence,no
        doc2.txt,ann,violence,no
        doc2.txt,bob,violence,yes
        doc3.txt,ann,violence,yes
        doc3.txt,bob,violence,yes
        doc1.txt,ann,participants,100
        doc9.txt,ann,violence,no
        """

    @Test func aCodingSheetAgreementAndAGoldSet() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 3)
            _ = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true}"#)

            let imported = try await api.call(
                .post, "/projects/\(project)/coders", token: ada.access, body: ByteBuffer(string: Self.sheet),
                headers: [.contentType: "text/csv"])
            #expect(imported.status == .ok, "\(String(buffer: imported.body))")
            let report = try imported.json()
            #expect(report["stored"]?.doubleValue == 7)
            #expect(report["unknown_documents"]?.arrayValue?.compactMap(\.stringValue) == ["doc9.txt"])
            let coders = try await api.call(.get, "/projects/\(project)/coders", token: ada.access).json()
            #expect(coders["items"]?.arrayValue?.compactMap { $0["coder"]?.stringValue } == ["ann", "bob"])

            let agreement = try await api.call(.get, "/projects/\(project)/agreement?resamples=200", token: ada.access).json()
            let items = try #require(agreement["items"]?.arrayValue)
            #expect(items.compactMap { $0["variable"]?.stringValue } == ["participants", "violence"])
            let violence = items[1]
            #expect(violence["people"]?.arrayValue?.compactMap(\.stringValue) == ["ann", "bob"])
            let among = try #require(violence["among_people"]?["percent_agreement"]?["value"]?.doubleValue)
            #expect(abs(among - 2.0 / 3) < 1e-9)
            #expect(violence["with_model"]?["coders"]?.doubleValue == 3)
            #expect(items[0]["among_people"] == nil && items[0]["level"]?.stringValue == "interval")

            let gold = "document,variable,value\ndoc1.txt,city,City1\ndoc2.txt,city,Lisbon\ndoc3.txt,violence,no\n"
            let evaluation = try await api.call(
                .post, "/projects/\(project)/eval", token: ada.access, body: ByteBuffer(string: gold),
                headers: [.contentType: "text/csv"]
            ).json()
            let scored = try #require(evaluation["items"]?.arrayValue)
            #expect(scored.compactMap { $0["variable"]?.stringValue } == ["city", "violence"])
            #expect(scored[0]["report"]?["accuracy"]?.doubleValue == 0.5)
            #expect(scored[1]["report"]?["accuracy"]?.doubleValue == 1)
        }
    }

    @Test func badSheetsLevelsAndOtherAccountsAreRefused() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let bob = try await api.register("bob@example.org")
            let (project, _) = try await api.researchProject(ada, documents: 1)
            func post(_ path: String, _ bytes: [UInt8], as session: API.Session) async throws -> TestResponse {
                var buffer = ByteBuffer()
                buffer.writeBytes(bytes)
                return try await api.call(.post, "/projects/\(project)/\(path)", token: session.access, body: buffer)
            }
            try await post("coders", Array("unit,who\n1,a\n".utf8), as: ada).problem(.unprocessableContent, field: "body")
            try await post("coders", [0x64, 0xFF, 0xFE], as: ada).problem(.unprocessableContent, field: "body")
            try await post("eval", Array("document,variable,value\n".utf8), as: ada).problem(.unprocessableContent, field: "body")
            try await post("coders", Array(Self.sheet.utf8), as: bob).problem(.notFound)
            try await api.call(.get, "/projects/\(project)/agreement", token: bob.access).problem(.notFound)
            try await api.call(.get, "/projects/\(project)/coders", token: bob.access).problem(.notFound)
            try await api.call(.get, "/projects/\(project)/agreement?level=loud", token: ada.access)
                .problem(.unprocessableContent, field: "level")
            try await api.call(.get, "/projects/\(project)/agreement?resamples=5", token: ada.access)
                .problem(.unprocessableContent, field: "resamples")
            // People's yes/no codes are not numbers: the interval level is refused naming it.
            _ = try await post(
                "coders", Array("document,coder,variable,value\ndoc1.txt,a,violence,no\ndoc1.txt,b,violence,no\n".utf8), as: ada)
            try await api.call(.get, "/projects/\(project)/agreement?level=interval", token: ada.access)
                .problem(.unprocessableContent, field: "level")
        }
    }
}
