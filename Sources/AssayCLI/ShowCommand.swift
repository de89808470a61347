import ArgumentParser
import AssayCore
import AssayService
import AssayStore
import Foundation

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show every value of one document with its evidence, confidence and status.",
        discussion: "DOC is a document id (12), its path (examples/protests/docs/01.txt) or a unique end of it (01.txt).")

    @Argument(help: "The document.") var document: String
    @Flag(help: "Also print the document text.") var text = false
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        let detail = try await local.documents.detail(of: document, projectID: project.id, for: .local)
        let d = detail.document
        print("#\(d.id) \(d.externalID)\(d.title.map { " — \($0)" } ?? "")")
        let pages = PageStarts(metadata: d.metadata)
        let paged = pages.map { ", \($0.offsets.count) page\($0.offsets.count == 1 ? "" : "s")" } ?? ""
        let ocr = d.isOCR ? ", text by OCR" : ""
        print("status \(d.status.rawValue), \(d.wordCount) words\(paged)\(ocr)\(d.error.map { ", error: \($0)" } ?? "")")
        if let url = d.metadata["source_url"]?.stringValue { print("source \(url)") }
        if let o = detail.outcome {
            print("result \(o.outcome.rawValue) (codebook v\(o.codebookVersion), job #\(o.jobID))\(o.reason.map { ": \($0)" } ?? "")")
        }
        if text { print("\n\(d.text)\n") }
        for e in detail.extractions {
            let confidence = e.confidence.map { String(format: "%.2f", $0) } ?? "-"
            print("\n\(e.variable) = \(e.value.isNull ? "(none)" : e.value.displayText)   [\(e.status.rawValue), confidence \(confidence)]")
            if let ev = e.evidence {
                print("  evidence: \"\(ev.quote)\" (\(Self.place(of: ev, pages: pages)))")
            }
            if let r = e.rationale { print("  rationale: \(r)") }
            if let runs = Self.runs(of: e) { print("  runs: \(runs)") }
            if let note = e.error { print("  note: \(note)") }
        }
        if detail.extractions.isEmpty { print("\nNo values yet.") }
        for err in detail.errors.suffix(5) {
            print("\nerror (job #\(err.jobID ?? 0)) \(err.kind.rawValue): \(err.reason)")
            if let excerpt = err.excerpt { print("  reply excerpt: \(excerpt)") }
        }
    }

    /// What each run said, when the value comes from several: `3 runs, 2 agree (67%): labor,
    /// labor, housing; the model's own confidence 0.85`.
    static func runs(of value: Extraction) -> String? {
        guard let said = value.runValues, let agreement = value.runAgreement else { return nil }
        let agreeing = Int((agreement * Double(said.count)).rounded())
        var text = "\(said.count) runs, \(agreeing) agree (\(Int((agreement * 100).rounded()))%): "
        text += said.map { $0.map { $0.isNull ? "(none)" : $0.displayText } ?? "(none)" }.joined(separator: ", ")
        if let own = value.modelConfidence { text += String(format: "; the model's own confidence %.2f", own) }
        return text
    }

    /// Where evidence is: its page in a paged document (`p. 3`, or `pp. 2–3` for a quote that
    /// runs over a page break), its offsets, and how it was found.
    static func place(of evidence: Evidence, pages: PageStarts?) -> String {
        guard let start = evidence.start else { return evidence.match.rawValue }
        let end = evidence.end ?? start
        var page = ""
        if let first = pages?.page(atOffset: start) {
            let last = pages?.page(atOffset: max(start, end - 1)) ?? first
            page = last > first ? "pp. \(first)–\(last), " : "p. \(first), "
        }
        return "\(page)chars \(start)–\(end), \(evidence.match.rawValue)"
    }
}
