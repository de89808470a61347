import ArgumentParser
import AssayCore
import AssayService

struct DocumentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "documents",
        abstract: "List the project's documents, or those that duplicate another.",
        discussion: """
            Without options: every document with its status, size and latest result. With \
            --duplicates: each document that repeats an earlier one, exactly (the same text) or \
            nearly (an estimated share of shared word 3-shingles at or above --threshold), beside the \
            document it repeats. Examples:
              assay documents --status failed
              assay documents --duplicates --threshold 0.9
            """)

    @Option(help: "Only documents with this status (uploaded, parsed, ready, failed).") var status: DocumentStatus?
    @Flag(help: "List the documents that duplicate an earlier one, with the one they duplicate.") var duplicates = false
    @Option(help: ArgumentHelp("With --duplicates: the share from which a text counts as a near duplicate (0.6 to 1).", valueName: "share"))
    var threshold = DuplicatePolicy.defaultThreshold
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if let problem = DuplicatePolicy.problem(with: threshold) { throw ValidationError("--threshold \(problem)") }
    }

    func run() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        if duplicates { return try await listDuplicates(local, projectID: project.id) }
        let documents = try await local.documents.list(projectID: project.id, status: status, for: .local)
        var rows = [["ID", "DOCUMENT", "STATUS", "WORDS", "RESULT", "NOTE"]]
        for (d, outcome) in documents.map({ ($0.document, $0.outcome) }) {
            let result = outcome.map { $0.contentHash == d.contentHash ? $0.outcome.rawValue : "stale" } ?? "-"
            rows.append(["\(d.id)", d.externalID, d.status.rawValue, "\(d.wordCount)", result, d.error ?? outcome?.reason ?? ""])
        }
        print(documents.isEmpty ? "No documents." : Table.render(rows))
    }

    private func listDuplicates(_ local: Local, projectID: Int64) async throws {
        let found = try await local.documents.duplicates(projectID: projectID, threshold: threshold, for: .local)
        guard !found.isEmpty else { return print("No duplicates at a threshold of \(threshold).") }
        var rows = [["ID", "DOCUMENT", "DUPLICATES", "ID", "SIMILARITY"]]
        for d in found {
            rows.append([
                d.documentID.map { "\($0)" } ?? "-", d.externalID, d.originalExternalID, "\(d.originalID)",
                d.exact ? "exact" : "\(Int((d.similarity * 100).rounded(.down))) %",
            ])
        }
        print(Table.render(rows))
        print("\(found.count) duplicate\(found.count == 1 ? "" : "s") (each beside the earliest document it repeats, by id).")
    }
}
