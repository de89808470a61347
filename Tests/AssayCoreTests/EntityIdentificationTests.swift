import Testing

@testable import AssayCore

/// Finding entities: the reply read, grounded, de-duplicated and bounded; the codebook's unit
/// checked; and the prompt hash of a document codebook left as it was.
@Suite struct EntityIdentificationTests {
    let identification = EntityIdentification(instruction: "each protest event")
    let text = "Teachers marched in Lisbon. Nurses rallied in Porto."

    @Test func entitiesAreGroundedAndNamedOnce() throws {
        let reply = """
            Here you go: {"entities": [{"name": " Lisbon   march ", "evidence": "Teachers marched in Lisbon."},
            {"name": "LISBON MARCH", "evidence": "marched"}, {"name": "", "evidence": "x"},
            {"name": "Porto rally", "evidence": "a rally somewhere else"}]}
            """
        let found = try identification.parse(reply, documentText: text)
        #expect(found.map(\.name) == ["Lisbon march", "Porto rally"])
        #expect(found[0].evidence.match == .exact)
        #expect(found[0].evidence.start == 0)
        #expect(found[1].evidence.match == .notFound)  // kept: the entity is named, the quote just is not the text's
    }

    @Test func aReplyListingTooManyIsCut() throws {
        let items = (1...100).map { #"{"name": "event \#($0)", "evidence": ""}"# }.joined(separator: ",")
        let found = try identification.parse(#"{"entities": [\#(items)]}"#, documentText: text)
        #expect(found.count == EntityIdentification.maxEntities)
    }

    @Test func aReplyWithoutTheListIsRefused() {
        #expect(throws: ResponseError.self) { try identification.parse(#"{"events": []}"#, documentText: text) }
        #expect(throws: ResponseError.self) { try identification.parse(#"{"entities": [{"evidence": "x"}]}"#, documentText: text) }
        #expect(throws: ResponseError.self) { try identification.parse("none", documentText: text) }
    }

    @Test func theEntityIsNamedInItsRequest() {
        let prompt = ExtractionPrompt(
            codebook: Codebook(variables: [Variable(name: "city", type: .text)], unit: .entity, entityInstruction: "each event"))
        let entity = FoundEntity(name: "Porto rally", evidence: Evidence(quote: "Nurses rallied in Porto.", match: .exact))
        let user = prompt.messages(for: text, entity: entity).last?.content ?? ""
        #expect(user.contains(#"Code only this entity: Porto rally (the document mentions it as: "Nurses rallied in Porto.")"#))
        #expect(prompt.identification?.messages(for: text).last?.content.hasPrefix("Entities to find: each event") == true)
    }

    @Test func theUnitIsChecked() {
        let variables = [Variable(name: "city", type: .text)]
        #expect(Codebook(variables: variables, unit: .entity).problems().map(\.field) == ["entity_instruction"])
        #expect(Codebook(variables: variables, unit: .entity, entityInstruction: "  ").problems().map(\.field) == ["entity_instruction"])
        #expect(Codebook(variables: variables, entityInstruction: "each event").problems().map(\.field) == ["entity_instruction"])
        let long = String(repeating: "x", count: Codebook.maxEntityInstruction + 1)
        #expect(Codebook(variables: variables, unit: .entity, entityInstruction: long).problems().map(\.field) == ["entity_instruction"])
        #expect(Codebook(variables: variables, unit: .entity, entityInstruction: "each event").problems().isEmpty)
    }

    @Test func aDocumentCodebooksPromptHashIsUnchangedAndAnEntityOnesDiffers() {
        let variables = [Variable(name: "city", type: .text)]
        let plain = ExtractionPrompt(codebook: Codebook(variables: variables))
        #expect(ExtractionPrompt(codebook: Codebook(variables: variables, unit: .document)).hash == plain.hash)
        // The formula every stored value's prompt hash was made with, before entities existed.
        let before = ["assay-prompt-v1", plain.system, plain.codebookSection, plain.schema.serialized(sortedKeys: true)]
        #expect(plain.hash == Hashing.sha256(before.joined(separator: "\u{1F}")))
        let entities = ExtractionPrompt(codebook: Codebook(variables: variables, unit: .entity, entityInstruction: "each event"))
        let others = ExtractionPrompt(codebook: Codebook(variables: variables, unit: .entity, entityInstruction: "each speaker"))
        #expect(entities.hash != plain.hash)
        #expect(entities.hash != others.hash)
        #expect(plain.identification == nil)
        // Codebooks stored before units existed keep their content hash.
        #expect(Codebook(variables: variables).contentHash == Codebook(variables: variables, unit: nil).contentHash)
    }
}
