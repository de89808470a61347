import ArgumentParser
import AssayCore
import AssayExport
import AssayService
import AssayStore
import Foundation

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the dataset as CSV (wide or long), JSONL, Excel, REFI-QDA, SPSS or Stata.",
        discussion: """
            wide: one row per document, one column per variable, plus VAR_confidence, VAR_status, \
            VAR_evidence and _codebook_version as chosen with --columns. long: one row per value. \
            CSV is RFC 4180 (CRLF, quoted where needed), UTF-8. \
            xlsx: Excel workbook (sheets data, codebook, quality). qdpx: REFI-QDA project for QDA \
            programs (ATLAS.ti, MAXQDA, NVivo, QualCoder). sav: SPSS. dta: Stata 14+. These four are \
            binary and need --out FILE; xlsx, sav and dta take --columns like the wide CSV. Examples:
              assay export --format csv --layout wide --out protests.csv
              assay export --format csv --layout long --out values.csv
              assay export --format jsonl --out protests.jsonl
              assay export --format xlsx --out protests.xlsx
              assay export --format sav --out protests.sav
            """)

    @Option(help: "csv, jsonl, xlsx, qdpx, sav or dta (the last four need --out).") var format: ExportFormat = .csv
    @Option(help: "wide (a row per document) or long (a row per value); CSV only.") var layout: ExportLayout = .wide
    @Option(help: ArgumentHelp("Extra wide columns: any of confidence,status,evidence,codebook_version, or all, none.", valueName: "list"))
    var columns = "confidence,status,codebook_version"
    @Option(help: "The output file; '-' or nothing writes to standard output.") var out: String?
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        let dataset = try await local.values.dataset(projectID: project.id, for: .local)
        let chosen = try Self.parseColumns(columns)
        if format.isBinary && (out == nil || out == "-") && isatty(STDOUT_FILENO) != 0 {
            throw CLIError("\(format.rawValue) is a binary format: write it to a file with --out FILE (or pipe it)")
        }
        let bytes = try DatasetExporter.data(dataset, format: format, layout: layout, columns: chosen)
        guard let out, out != "-" else {
            FileHandle.standardOutput.write(bytes)
            return
        }
        try bytes.write(to: URL(fileURLWithPath: out), options: .atomic)
        let rows = format == .csv && layout == .long ? dataset.extractions.count : dataset.documents.count
        printError("Wrote \(rows) rows to \(out).")
    }

    static func parseColumns(_ list: String) throws -> ExportColumns {
        var chosen: ExportColumns = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            switch name {
            case "all": chosen = .all
            case "none", "": break
            case "confidence": chosen.insert(.confidence)
            case "status": chosen.insert(.status)
            case "evidence": chosen.insert(.evidence)
            case "codebook_version", "version": chosen.insert(.codebookVersion)
            default: throw ValidationError("unknown column '\(name)' (use confidence, status, evidence, codebook_version, all or none)")
            }
        }
        return chosen
    }
}

extension ExportFormat: ExpressibleByArgument {}
extension ExportLayout: ExpressibleByArgument {}
