import AssayCore
import AssayEngine
import AssayService
import AssayStore
import Foundation
import Testing

/// The layer's errors are cases with their data, in no front end's words: the CLI and the service
/// add their own advice.
@Suite struct ServiceErrorTests {
    @Test func rulesBreakAsCasesNamingTheField() async throws {
        let f = try ServiceFixture()
        let (project, document) = try await f.project(of: f.ada)
        let value = try await f.value(for: document, in: project)
        await #expect(
            throws: ServiceError.invalid(
                field: "corrected_value",
                reason: "say what the value should be (or add a note) when it is not correct")
        ) {
            try await Reviews(store: f.store).give(.incorrect, extractionID: value.id, for: f.ada)
        }
        await #expect(throws: ServiceError.invalid(field: "note", reason: "must be at most 5000 characters")) {
            try await Reviews(store: f.store).give(.correct, note: String(repeating: "n", count: 5_001), extractionID: value.id, for: f.ada)
        }
        let saved = try await Reviews(store: f.store).give(.incorrect, correctedValue: "Porto", extractionID: value.id, for: f.ada)
        #expect(saved.author == "ada@example.org")
        var filter = ExtractionFilter()
        filter.confidenceBelow = 2
        await #expect(throws: ServiceError.invalid(field: "confidence_below", reason: "must be between 0 and 1")) {
            try await Values(store: f.store).list(projectID: project.id, filter: filter, for: f.ada)
        }
    }

    @Test(arguments: [
        (Jobs.Request(kind: .sample), "sample_size"), (Jobs.Request(kind: .sample, sampleSize: 0), "sample_size"),
        (Jobs.Request(kind: .full, sampleSize: 3), "sample_size"), (Jobs.Request(kind: .sample, documentIDs: []), "document_ids"),
        (Jobs.Request(kind: .sample, documentIDs: Array(1...10_001)), "document_ids"),
    ])
    func jobRequestsThatCannotRunNameTheirField(_ request: Jobs.Request, _ field: String) {
        #expect {
            try request.selection()
        } throws: { error in
            guard case .invalid(let named, _) = error as? ServiceError else { return false }
            return named == field
        }
    }

    @Test func jobRequestsSelect() throws {
        #expect(try Jobs.Request(kind: .full).selection() == .all)
        #expect(try Jobs.Request(kind: .sample, sampleSize: 5, seed: 7).selection() == JobSelection(sampleSize: 5, seed: 7))
        #expect(try Jobs.Request(kind: .sample, documentIDs: [3, 4]).selection() == JobSelection(documentIDs: [3, 4]))
    }

    @Test func missingCodebooksAndVariablesAreNotFoundWithWhat() async throws {
        let f = try ServiceFixture()
        let bare = try await Projects(store: f.store).create(name: "Bare", for: f.ada)
        await #expect(throws: ServiceError.notFound(.codebook(projectID: bare.id, version: nil))) {
            try await Codebooks(store: f.store).version(projectID: bare.id, for: f.ada)
        }
        let (project, _) = try await f.project(of: f.ada)
        await #expect(throws: ServiceError.notFound(.codebook(projectID: project.id, version: 9))) {
            try await Codebooks(store: f.store).version(9, projectID: project.id, for: f.ada)
        }
        await #expect(throws: ServiceError.notFound(.variable("nope"))) {
            try await Codebooks(store: f.store).removeVariable(named: "nope", projectID: project.id, for: f.ada)
        }
    }

    @Test func descriptionsNameNoFrontEnd() {
        let errors: [ServiceError] = [
            .notFound(.codebook(projectID: 1, version: nil)), .notFound(.account(email: "a@b.c")), .patternsNotAllowed(role: "ml_engineer"),
            .wrongCredentials, .refreshTokenRejected, .credentialRejected(.accessToken), .tooManyAttempts(.forAccount, retryAfter: 3),
        ]
        for error in errors {
            #expect(!error.description.contains("assay "), "\(error)")
            #expect(!error.description.contains("POST ") && !error.description.contains("PUT "), "\(error)")
        }
        #expect(ServiceError.tooManyAttempts(.forAccount, retryAfter: 3).description.hasSuffix("try again in 3 s"))
    }
}
