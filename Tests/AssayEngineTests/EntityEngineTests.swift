import AssayCore
import AssayEngine
import AssayExport
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// Entity codebooks: one request finds a document's entities, one request per entity codes the
/// variables, and every value carries its entity.
@Suite struct EntityEngineTests {
    static let codebook = Codebook(
        variables: [
            Variable(name: "city", type: .text, instructions: "Where it happened."),
            Variable(name: "participants", type: .number),
        ], unit: .entity, entityInstruction: "each protest event the text reports")
    static let text = "Teachers marched in Lisbon. About 300 people came. Later, nurses rallied in Porto with 50 people."

    /// Answers like a good model: the two events (and one of them twice, as small models do),
    /// then each event's city and size.
    static func model(_ request: LLMRequest) -> String {
        let user = request.messages.last { $0.role == .user }?.content ?? ""
        if request.messages.first?.content.hasPrefix("You find entities") == true {
            return
                #"{"entities": [{"name": "Lisbon march", "evidence": "Teachers marched in Lisbon."}, {"name": "Porto rally", "evidence": "nurses rallied in Porto"}, {"name": "lisbon  MARCH", "evidence": "marched"}]}"#
        }
        let lisbon = user.contains("Code only this entity: Lisbon march")
        let (city, number, quote) = lisbon ? ("Lisbon", 300, "About 300 people came.") : ("Porto", 50, "with 50 people")
        return """
            {"city": {"evidence": "\(city)", "rationale": "named", "value": "\(city)", "confidence": 0.9},
             "participants": {"evidence": "\(quote)", "rationale": "stated", "value": \(number), "confidence": 0.9}}
            """
    }

    func project(_ store: SQLiteStore) async throws -> Project {
        let workspace = Workspace(store: store)
        let project = try await workspace.createProject(name: "events")
        _ = try await workspace.importCodebook(Self.codebook, projectID: project.id)
        _ = try await store.upsertDocument(
            DocumentInput(externalID: "a.txt", mediaType: "text/plain", text: Self.text), projectID: project.id)
        return project
    }

    @Test func eachEntityIsCodedAndStoredWithItsIndexAndName() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await project(store)
        let provider = ScriptedProvider(steps: [], then: .respond(Self.model))
        var options = ExtractionEngine.Options()
        options.packing = .init()  // asked for, but entity documents are never packed
        let summary = try await ExtractionEngine(store: store, provider: provider).run(projectID: project.id, options: options)

        #expect(summary.succeeded == 1)
        #expect(await provider.callCount == 3)  // one to find, one per entity (the duplicate dropped)
        let values = try await store.extractions(projectID: project.id, documentID: nil).sorted {
            ($0.entityIndex, $0.variable) < ($1.entityIndex, $1.variable)
        }
        #expect(values.map(\.entityIndex) == [1, 1, 2, 2])
        #expect(values.map(\.entityText) == ["Lisbon march", "Lisbon march", "Porto rally", "Porto rally"])
        #expect(values.map(\.value) == ["Lisbon", 300, "Porto", 50])
        #expect(values.allSatisfy { $0.evidence?.match == .exact })
        #expect(summary.metrics?.entities == 2)

        // Every export has a row per entity.
        let dataset = try await ExportDataset.load(from: store, projectID: project.id)
        let csv = try DatasetExporter.render(dataset, format: .csv, layout: .wide)
        let lines = csv.split(whereSeparator: \.isNewline)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("document_id,title,entity_index,entity,city"))
        #expect(lines[1].hasPrefix("a.txt,,1,Lisbon march,Lisbon"))
        #expect(lines[2].hasPrefix("a.txt,,2,Porto rally,Porto"))
    }

    @Test func aDocumentWithoutEntitiesSucceedsWithNoRows() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await project(store)
        let provider = ScriptedProvider(steps: [.reply(#"{"entities": []}"#)])
        let summary = try await ExtractionEngine(store: store, provider: provider).run(projectID: project.id, options: .init())
        #expect(summary.succeeded == 1)
        #expect(try await store.extractions(projectID: project.id, documentID: nil).isEmpty)
    }

    @Test func entitiesThatCannotBeReadFailTheDocumentWithTheReason() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await project(store)
        let provider = ScriptedProvider(steps: [.reply("no idea"), .reply(#"{"events": []}"#)])
        let summary = try await ExtractionEngine(store: store, provider: provider).run(projectID: project.id, options: .init())
        #expect(summary.failed == 1)
        let errors = try await store.errorRecords(projectID: project.id, jobID: summary.job.id)
        #expect(errors.first?.reason.hasPrefix("finding entities: reply unusable after one retry") == true)
        #expect(errors.first?.kind == .schemaValidation)
    }

    @Test func anEntityWhoseReplyStaysUnusableFailsTheDocumentNamingTheEntity() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await project(store)
        let found = #"{"entities": [{"name": "Lisbon march", "evidence": "Teachers marched in Lisbon."}]}"#
        let provider = ScriptedProvider(steps: [.reply(found), .reply("{}"), .reply("{}")])
        let summary = try await ExtractionEngine(store: store, provider: provider).run(projectID: project.id, options: .init())
        #expect(summary.failed == 1)
        let errors = try await store.errorRecords(projectID: project.id, jobID: summary.job.id)
        #expect(errors.first?.reason.hasPrefix("entity 1 of 1 (Lisbon march): reply unusable after one retry") == true)
    }

    @Test func aCodebookWithoutAUnitTakesTheProjects() async throws {
        let store = try SQLiteStore.inMemory()
        let workspace = Workspace(store: store)
        let project = try await workspace.createProject(name: "events")
        try await store.setProjectUnit(.entity, entityInstruction: "each march", projectID: project.id)
        let (version, _) = try await workspace.importCodebook(Protests.codebook, projectID: project.id)
        #expect(version.codebook.unit == .entity)
        #expect(version.codebook.entityInstruction == "each march")
        // A codebook that names its unit sets the project's.
        var document = Protests.codebook
        document.unit = .document
        _ = try await workspace.importCodebook(document, projectID: project.id)
        #expect(try await store.project(id: project.id)?.unit == .document)
        #expect(try await store.project(id: project.id)?.entityInstruction == nil)
    }
}
