import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// People's codes: stored per document, variable and coder, replaced by a newer code, kept to
/// their project, gone with their document.
@Suite(.postgresDatabases) struct HumanCodesStoreTests {
    @Test(arguments: StoreKind.allCases)
    func codesAreReplacedScopedAndDeletedWithTheirDocument(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 2)
        let other = try await store.createProject(name: "other", description: nil)
        let (elsewhere, _) = try await store.upsertDocument(Fixtures.input("x.txt"), projectID: other.id)
        try await store.saveHumanCodes([
            HumanCode(documentID: docs[0].id, variable: "sentiment", coder: "ann", value: "pos"),
            HumanCode(documentID: docs[0].id, variable: "sentiment", coder: "bob", value: "neg"),
            HumanCode(documentID: docs[1].id, variable: "sentiment", coder: "ann", value: "neg"),
            HumanCode(documentID: elsewhere.id, variable: "sentiment", coder: "ann", value: "pos"),
        ])
        try await store.saveHumanCodes([HumanCode(documentID: docs[0].id, variable: "sentiment", coder: "bob", value: "pos")])
        let codes = try await store.humanCodes(projectID: project.id)
        #expect(
            codes.map { "\($0.documentID)/\($0.coder)=\($0.value)" } == [
                "\(docs[0].id)/ann=pos", "\(docs[0].id)/bob=pos", "\(docs[1].id)/ann=neg",
            ])
        try await store.deleteDocument(id: docs[0].id)
        #expect(try await store.humanCodes(projectID: project.id).map(\.coder) == ["ann"])
        #expect(try await store.humanCodes(projectID: other.id).count == 1)
    }
}
