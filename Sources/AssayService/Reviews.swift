import AssayCore
import AssayStore

/// Feedback on values: a reviewer's verdict, what the value should have been, a note.
package struct Reviews: Sendable {
    let store: any Store & ReviewStore
    let access: Access

    package static let maxNoteCharacters = 5_000

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
        if let note, note.count > Self.maxNoteCharacters {
            throw ServiceError.invalid(field: "note", reason: "must be at most \(Self.maxNoteCharacters) characters")
        }
        return try await store.addFeedback(
            Feedback(
                extractionID: extraction.id, verdict: verdict, correctedValue: correctedValue, note: note, author: requester.email))
    }

    package func list(projectID: Int64, variable: String? = nil, for requester: Requester) async throws -> [Feedback] {
        try await store.feedback(projectID: try await access.project(projectID, for: requester).id, variable: variable)
    }
}
