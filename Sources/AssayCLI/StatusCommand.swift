import ArgumentParser
import AssayCore
import AssayService
import AssayStore
import Foundation

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the project: documents, results under the current codebook, the last job and its failures.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        let s = try await local.projects.status(projectID: project.id, for: .local)
        print("Project '\(project.name)' — \(project.status.rawValue), codebook \(s.codebookVersion.map { "v\($0)" } ?? "none")")
        let docs = DocumentStatus.allCases.compactMap { st in s.documentsByStatus[st].map { "\($0) \(st.rawValue)" } }
        print("Documents: " + (docs.isEmpty ? "none (assay add PATH...)" : docs.joined(separator: ", ")))
        for (id, reason) in s.unreadable.prefix(20) { print("  unreadable  \(id): \(reason)") }
        if s.unreadable.count > 20 { print("  … and \(s.unreadable.count - 20) more (assay documents --status failed)") }
        let results = DocumentOutcomeKind.allCases.map { "\(s.outcomes[$0] ?? 0) \($0.rawValue)" }
        print("Results:   " + results.joined(separator: ", ") + ", \(s.notRun) not run yet")
        if project.unit == .entity {
            print("Unit:      each entity — \(project.entityInstruction ?? "")")
            if let e = s.entities { print("Entities:  \(e.count) with values, in \(e.documents) documents") }
        }
        if s.lastJob != nil { print("Spent:     " + SpendingText.render(s.spending)) }
        if !project.budget.isEmpty { print("Budget:    \(project.budget.text) for all jobs together (assay budget)") }
        guard let job = s.lastJob else {
            print("Last job:  none yet (assay run --sample 5)")
            return
        }
        var line = "Last job:  #\(job.id) \(job.kind.rawValue) \(job.status.rawValue), \(job.processed)/\(job.total) processed"
        line +=
            " (\(job.succeeded) succeeded, \(job.flagged) flagged, \(job.failed) failed), tokens \(job.tokensIn) in / \(job.tokensOut) out"
        if let cost = job.cost { line += ", \(cost.dollarsText)" }
        if let started = job.startedAt { line += ", started \(Table.date(started))" }
        print(line)
        if let error = job.error { print("  stopped: \(error)") }
        if let metrics = s.lastJobMetrics { print("  requests \(MetricsText.render(metrics))") }
        if !s.failuresByKind.isEmpty {
            print(
                "Failures by reason: "
                    + s.failuresByKind.sorted { $0.value > $1.value }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))
            for f in s.recentFailures { print("  \(f.document): \(f.kind.rawValue): \(f.reason)") }
        }
    }
}

extension DocumentStatus: ExpressibleByArgument {}

/// A project's spending on one line: tokens, the prompt cache's share, dollars.
enum SpendingText {
    static func render(_ s: Spending) -> String {
        var text = "\(s.tokensIn.grouped) tokens in"
        if s.tokensCached > 0 { text += " (\(Int((s.cachedShare * 100).rounded()))% from the prompt cache)" }
        text += " / \(s.tokensOut.grouped) out"
        if let cost = s.cost {
            text += "; \(cost.dollarsText) in all"
            if let each = s.costPerDocument { text += ", \(each.dollarsText) per document (its last run)" }
        } else {
            text += "; no price known for the model (ASSAY_PRICES adds one)"
        }
        return text
    }
}
