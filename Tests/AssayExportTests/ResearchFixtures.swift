import AssayCore
import AssayExport
import Foundation

/// A dataset as researchers export it: every variable type, a category with labels, a list-valued
/// category, a boolean, a date, missing and failed values, evidence located in non-ASCII text, a text
/// over Excel's cell limit, and XML-forbidden control characters and NUL in text.
enum ResearchFixtures {
    static let codebook = Codebook(
        name: "Protests in Köln",
        variables: [
            Variable(name: "violence", type: .boolean, instructions: "Was there violence?"),
            Variable(
                name: "organiser", type: .category, instructions: "Who organised it?",
                categories: [
                    Category(code: "union", label: "Trade union"), Category(code: "students", label: "Students"), Category(code: "other"),
                ]),
            Variable(
                name: "tags", type: .category, categories: [Category(code: "peaceful"), Category(code: "march")], ifMultipleValues: .all),
            Variable(name: "crowd_size", type: .number, validation: ValidationRules(min: 0)),
            Variable(name: "event_date", type: .date),
            Variable(name: "summary", type: .text),
            Variable(name: "2nd place (city)", type: .text),
        ])

    /// Text with multi-byte and astral characters before the evidence, so code points, UTF-16 units
    /// and bytes all differ at the quote.
    static let textA = "Am 1. Mai 2024 zogen 😀 Studierende durch Köln; die Polizei setzte Tränengas ein.\nEnde."
    static let quoteA = "Polizei setzte Tränengas ein"
    static let textB = "Ein ruhiger Marsch der Gewerkschaft.\r\nKeine Zwischenfälle."
    static let quoteB = "Keine Zwischenfälle"
    static let longText = String(repeating: "ä", count: 40_000)
    static let hostileText = "bell\u{07} nul\u{00} escape\u{1B} tab\tok <b>&amp;</b> \"quoted\""

    static func range(of quote: String, in text: String) -> (Int, Int) {
        let scalars = Array(text.unicodeScalars)
        let needle = Array(quote.unicodeScalars)
        for start in 0...(scalars.count - needle.count) where Array(scalars[start..<start + needle.count]) == needle {
            return (start, start + needle.count)
        }
        fatalError("quote not in text")
    }

    static func document(_ id: Int64, _ externalID: String, title: String?, text: String) -> Document {
        Document(
            id: id, projectID: 1, externalID: externalID, title: title, mediaType: "text/plain", text: text,
            contentHash: "h\(id)", wordCount: 1, tokenCount: 1, status: .ready)
    }

    static func value(
        _ documentID: Int64, _ variable: String, _ value: JSONValue, confidence: Double? = 0.9, status: ExtractionStatus = .validated,
        evidence: Evidence? = nil, rationale: String? = nil
    ) -> Extraction {
        Extraction(
            documentID: documentID, variable: variable, value: value, confidence: confidence, evidence: evidence, rationale: rationale,
            status: status, codebookVersion: 3, promptHash: "ph", model: "qwen2.5-7b", jobID: 1)
    }

    static var dataset: ExportDataset {
        let (startA, endA) = range(of: quoteA, in: textA)
        let (startB, endB) = range(of: quoteB, in: textB)
        return ExportDataset(
            codebook: codebook, codebookVersion: 3,
            documents: [
                document(1, "köln/2024-05-01.txt", title: "Maikundgebung", text: textA),
                document(2, "b.txt", title: nil, text: textB),
                document(3, "c.txt", title: "never run", text: "nothing"),
            ],
            extractions: [
                value(
                    1, "violence", true, confidence: 0.95,
                    evidence: Evidence(quote: quoteA, start: startA, end: endA, match: .exact), rationale: "Tear gas is violence."),
                value(1, "organiser", "students", confidence: 0.8),
                value(1, "tags", ["march"]),
                value(1, "crowd_size", 1500),
                value(1, "event_date", "2024-05-01"),
                value(1, "summary", .string(longText), confidence: 0.5, status: .flagged),
                value(1, "2nd place (city)", .string(hostileText)),
                value(
                    2, "violence", false, evidence: Evidence(quote: quoteB, start: startB, end: endB, match: .exact),
                    rationale: "Nothing happened."),
                value(2, "organiser", "union", evidence: Evidence(quote: "not in the text", match: .notFound)),
                value(2, "tags", ["peaceful", "march"]),
                value(2, "crowd_size", nil, confidence: nil, status: .failed),
                value(2, "summary", "Ruhig — ünïcödé ✓"),
            ],
            outcomes: [
                1: DocumentOutcome(documentID: 1, jobID: 1, codebookVersion: 3, contentHash: "h1", outcome: .flagged),
                2: DocumentOutcome(documentID: 2, jobID: 1, codebookVersion: 3, contentHash: "h2", outcome: .succeeded),
            ])
    }

    /// `count` documents with a value of every variable, for size and speed checks.
    static func many(_ count: Int) -> ExportDataset {
        var documents: [Document] = []
        var values: [Extraction] = []
        documents.reserveCapacity(count)
        for index in 1...count {
            let id = Int64(index)
            documents.append(document(id, "doc-\(index).txt", title: "Document \(index)", text: "text \(index)"))
            values += [
                value(id, "violence", .bool(index % 2 == 0)), value(id, "organiser", "other"),
                value(id, "crowd_size", .number(Double(index))),
                value(id, "event_date", "2023-12-31"), value(id, "summary", .string("summary \(index)")),
            ]
        }
        return ExportDataset(codebook: codebook, codebookVersion: 1, documents: documents, extractions: values)
    }
}

/// Runs a reader program from Debian's packages with a time limit and a cap on what it prints.
enum ExternalTool {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil, timeout: TimeInterval = 120) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Failure(description: "\(executable) is missing: run scripts/prerequisites.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("assay-tool-\(UUID().uuidString).out")
        let errors = output.appendingPathExtension("err")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        let handle = try FileHandle(forWritingTo: output)
        let errorHandle = try FileHandle(forWritingTo: errors)
        process.standardOutput = handle
        process.standardError = errorHandle
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "\(executable) did not finish within \(Int(timeout)) s")
        }
        process.waitUntilExit()
        try handle.close()
        try errorHandle.close()
        let data = try Data(contentsOf: output)
        guard data.count <= 64 << 20 else { throw Failure(description: "\(executable) printed over 64 MB") }
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let message = String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self)
            throw Failure(
                description:
                    "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(message.prefix(2000)) \(text.prefix(500))"
            )
        }
        return text
    }

    /// Debian's python3 (which has python3-openpyxl), not another one first on PATH.
    static let python = "/usr/bin/python3"
}
