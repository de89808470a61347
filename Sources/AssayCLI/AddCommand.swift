import ArgumentParser
import AssayCore
import AssayIngest
import AssayService
import AssayStore
import Foundation

struct AddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add documents: files, folders (recursively) or JSON/JSONL records.",
        discussion: """
            Reads .txt, .md, .json and .jsonl (one record per line), .pdf (with page numbers; poppler's \
            pdftotext), .docx and .odt, and saved web pages (.html: the main text, title and URL). A \
            document's id is its path relative to the current directory (plus '#id' for records), so \
            adding the same files again changes nothing and a changed file is updated. Files that \
            cannot be read (empty, binary, invalid UTF-8, a broken JSONL line, an encrypted or damaged \
            PDF, a ZIP bomb) are kept as failed documents with the reason; the rest are added. \
            Scanned PDFs have no text layer: add them with --ocr (tesseract).

            Each document is fingerprinted (MinHash of its word 3-shingles). A new text that repeats \
            one already in the project, exactly or nearly (a reprint with another headline, the same \
            article from two outlets), is reported with the document it duplicates; it is added \
            unless you pass --skip-duplicates. List them later with: assay documents --duplicates.

            Examples:
              assay add examples/protests/docs/
              assay add articles.jsonl --id-field uuid --text-field body
              assay add scans/ --ocr
              assay add wire-stories/ --skip-duplicates --duplicate-threshold 0.9
            """)

    @Argument(help: "Files or folders.") var paths: [String]
    @Option(help: "The record field holding the id (JSON/JSONL).") var idField = "id"
    @Option(help: "The record field holding the text (JSON/JSONL).") var textField = "text"
    @Option(help: "The record field holding the title (JSON/JSONL).") var titleField = "title"
    @Flag(help: "Read PDFs by OCR (tesseract, English) instead of their text layer: for scanned PDFs.") var ocr = false
    @Flag(help: "Leave out new documents that duplicate one already in the project (exactly or nearly).")
    var skipDuplicates = false
    @Option(
        help: ArgumentHelp(
            "The estimated share of shared word 3-shingles from which a text counts as a near duplicate (0.6 to 1).",
            valueName: "share"))
    var duplicateThreshold = DuplicatePolicy.defaultThreshold
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if let problem = DuplicatePolicy.problem(with: duplicateThreshold) {
            throw ValidationError("--duplicate-threshold \(problem)")
        }
    }

    func run() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        var ingest = IngestOptions()
        ingest.recordFields = RecordFields(id: idField, text: textField, title: titleField)
        ingest.ocr = ocr
        let report: Documents.AddReport
        do {
            report = try await local.documents.add(
                paths, options: ingest, duplicates: DuplicatePolicy(threshold: duplicateThreshold, skip: skipDuplicates),
                relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                projectID: project.id, for: .local)
        } catch let error as IngestError {
            throw CLIError("\(error)")
        }
        print("Added \(report.inserted) new, \(report.updated) updated, \(report.unchanged) unchanged, \(report.failed.count) unreadable.")
        for (id, reason) in report.failed {
            printError("  unreadable: \(id): \(reason)")
        }
        if !report.duplicates.isEmpty {
            let skipped = report.duplicatesSkipped
            print(
                "\(report.duplicates.count) duplicate\(report.duplicates.count == 1 ? "" : "s") of documents in the project"
                    + (skipped > 0 ? ", \(skipped) left out:" : ", added (leave them out with --skip-duplicates):"))
            for duplicate in report.duplicates {
                print("  \(duplicate.externalID) is \(duplicate.summary)\(duplicate.documentID == nil ? " (left out)" : "")")
            }
        }
        if report.total > 0 { print("Next: assay run --sample 5") }
    }
}
