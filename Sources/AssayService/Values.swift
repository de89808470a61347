import AssayCore
import AssayExport
import AssayStore

/// Values: paged and filtered lists per project, one value with its evidence, and the dataset an
/// export writes.
package struct Values: Sendable {
    let store: any Store & ReviewStore
    let access: Access

    package static let maxPage = 500

    package init(store: any Store & ReviewStore) {
        self.store = store
        self.access = Access(store: store)
    }

    package func list(
        projectID: Int64, filter: ExtractionFilter = ExtractionFilter(), limit: Int = 50, offset: Int = 0,
        for requester: Requester
    ) async throws -> (items: [Extraction], total: Int) {
        // Every member reads values, but a coder never those of a document assigned to them blind.
        let grant = try await access.grant(projectID, for: requester, needs: .values)
        var filter = filter
        filter.blindFor = grant.blindFor
        if let below = filter.confidenceBelow, !(0...1).contains(below) {
            throw ServiceError.invalid(field: "confidence_below", reason: "must be between 0 and 1")
        }
        guard (1...Self.maxPage).contains(limit) else {
            throw ServiceError.invalid(field: "limit", reason: "must be between 1 and \(Self.maxPage)")
        }
        return try await store.extractions(projectID: grant.project.id, filter: filter, limit: limit, offset: offset)
    }

    package func get(_ id: Int64, for requester: Requester) async throws -> Extraction {
        try await access.extraction(id, for: requester, needs: .values)
    }

    /// The page starts of the paged documents (PDFs) these values come from, by document id, so
    /// evidence can be shown with its page. Call it with values the requester was allowed to read.
    package func pageStarts(of values: [Extraction]) async throws -> [Int64: PageStarts] {
        var pages: [Int64: PageStarts] = [:]
        for id in Set(values.map(\.documentID)) {
            if let document = try await store.document(id: id), let starts = PageStarts(metadata: document.metadata) {
                pages[id] = starts
            }
        }
        return pages
    }

    /// Everything an export writes: the codebook in force, ready documents, their values and
    /// outcomes. For owners and viewers: it holds every document's values, blind ones included.
    package func dataset(projectID: Int64, for requester: Requester) async throws -> ExportDataset {
        try await ExportDataset.load(from: store, projectID: try await access.project(projectID, for: requester, needs: .results).id)
    }
}
