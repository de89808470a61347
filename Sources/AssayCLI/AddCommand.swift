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
            Reads .txt, .md, .json and .jsonl (one record per line), .pdf (with page numbers; poppler's
            pdftotext), .docx and .odt, and saved web pages (.html: the main text, title and URL). A
            document's id is its path relative to the current directory (plus '#id' for records), so
            adding the same files again changes nothing and a changed file is updated. Files that
            cannot be read (empty, binary, invalid UTF-8, a broken JSONL line, an encrypted or damaged
            PDF, a ZIP bomb) are kept as failed documents with the reason; the rest are added.
            Scanned PDFs have no text layer: add them with --ocr (tesseract). Examples:
              assay add examples/protests/docs/
              assay add articles.jsonl --id-field uuid --text-field body
              assay add scans/ --ocr
            """)

    @Argument(help: "Files or folders.") var paths: [String]
    @Option(help: "The record field holding the id (JSON/JSONL).") var idField = "id"
    @Option(help: "The record field holding the text (JSON/JSONL).") var textField = "text"
    @Option(help: "The record field holding the title (JSON/JSONL).") var titleField = "title"
    @Flag(help: "Read PDFs by OCR (tesseract, English) instead of their text layer: for scanned PDFs.") var ocr = false
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let local = try options.local()
        let project = try await local.project(options.project)
        var ingest = IngestOptions()
        ingest.recordFields = RecordFields(id: idField, text: textField, title: titleField)
        ingest.ocr = ocr
        let report: Documents.AddReport
        do {
            report = try await local.documents.add(
                paths, options: ingest, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                projectID: project.id, for: .local)
        } catch let error as IngestError {
            throw CLIError("\(error)")
        }
        print("Added \(report.inserted) new, \(report.updated) updated, \(report.unchanged) unchanged, \(report.failed.count) unreadable.")
        for (id, reason) in report.failed {
            printError("  unreadable: \(id): \(reason)")
        }
        if report.total > 0 { print("Next: assay run --sample 5") }
    }
}
