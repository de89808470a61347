import AssayCore
import AssayStore

/// Feedback on values: a reviewer's verdict, what the value should have been, a note.
package struct Reviews: Sendable {
    let store: any Store & ReviewStore
    let access: Access

    package static let maxNoteCharacters = 5_000
    /// The most values one bulk accept takes: a page of the review queue.
    package static let maxBulk = Values.maxPage

    package init(store: any Store & ReviewStore) {
        self.store = store
        self.access = Access(store: store)
    }

    /// Records a verdict on one value. A value that is not correct needs the right one or a note:
    /// "wrong" alone teaches the codebook nothing.
    package func give(
        _ verdict: FeedbackVerdict, correctedValue: JSONValue? = nil, note: String? = nil,
        extractionID: Int64, for requester: Requester
    ) async throws -> Feedback {
        let extraction = try await access.extraction(extractionID, for: requester)
        if verdict != .correct, correctedValue == nil, (note ?? "").isEmpty {
            throw ServiceError.invalid(
                field: "corrected_value", reason: "say what the value should be (or add a note) when it is not correct")
        }
        try Self.check(note: note)
        var corrected: JSONValue? = nil
        if let correctedValue { corrected = try await typed(correctedValue, for: extraction) }
        return try await store.addFeedback(
            Feedback(extractionID: extraction.id, verdict: verdict, correctedValue: corrected, note: note, author: requester.email))
    }

    /// Marks each of these values of one project correct, with the same note (the reason for
    /// accepting them together). All are checked before any is recorded.
    package func acceptAll(
        extractionIDs: [Int64], note: String?, projectID: Int64, for requester: Requester
    ) async throws -> [Feedback] {
        let project = try await access.project(projectID, for: requester)
        guard (1...Self.maxBulk).contains(extractionIDs.count) else {
            throw ServiceError.invalid(field: "extraction_ids", reason: "must list between 1 and \(Self.maxBulk) values")
        }
        try Self.check(note: note)
        var values: [Extraction] = []
        for id in extractionIDs {
            let value = try await access.extraction(id, for: requester)
            guard try await store.document(id: value.documentID)?.projectID == project.id else {
                throw ServiceError.invalid(field: "extraction_ids", reason: "value \(id) is not one of this project's")
            }
            values.append(value)
        }
        var saved: [Feedback] = []
        for value in values {
            saved.append(
                try await store.addFeedback(Feedback(extractionID: value.id, verdict: .correct, note: note, author: requester.email)))
        }
        return saved
    }

    /// The project's feedback, for one variable or one value when asked.
    package func list(
        projectID: Int64, variable: String? = nil, extractionID: Int64? = nil, for requester: Requester
    ) async throws -> [Feedback] {
        let items = try await store.feedback(
            projectID: try await access.project(projectID, for: requester, needs: .results).id, variable: variable)
        guard let extractionID else { return items }
        return items.filter { $0.extractionID == extractionID }
    }

    /// Throws not found unless the requester may review this project.
    package func checkProject(_ id: Int64, for requester: Requester) async throws {
        _ = try await access.project(id, for: requester)
    }

    static func check(note: String?) throws {
        if let note, note.count > maxNoteCharacters {
            throw ServiceError.invalid(field: "note", reason: "must be at most \(maxNoteCharacters) characters")
        }
    }

    /// A corrected value in its variable's type, read as a model's answer is ("about 250" is 250,
    /// "yes" is true), so a person can type it and it compares with the values. A list variable
    /// takes a list, or items separated by semicolons.
    func typed(_ value: JSONValue, for extraction: Extraction) async throws -> JSONValue {
        let versions = try await store.codebookVersions(projectID: try await projectID(of: extraction))
        guard
            let variable = versions.first(where: { $0.version == extraction.codebookVersion })?.codebook.variables
                .first(where: { $0.name == extraction.variable })
        else { return value }
        do {
            guard variable.ifMultipleValues == .all else { return try Coercion.coerce(value, to: variable) }
            let items =
                value.arrayValue
                ?? (value.stringValue?.split(separator: ";").map { JSONValue.string(String($0)) } ?? [value])
            return .array(try items.map { try Coercion.coerce($0, to: variable) }.filter { !$0.isNull })
        } catch let failure as Coercion.Failure {
            throw ServiceError.invalid(field: "corrected_value", reason: failure.description)
        }
    }

    func projectID(of extraction: Extraction) async throws -> Int64 {
        guard let document = try await store.document(id: extraction.documentID) else {
            throw ServiceError.notFound(.extraction(extraction.id))
        }
        return document.projectID
    }
}
