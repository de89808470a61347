import AssayCore
import AssayIngest
import Foundation

/// The labels of a labelled trace set, and the lines that were not labels.
public struct LabelFile: Sendable, Hashable {
    public var labels: [TraceLabel]
    public var problems: [TraceReadProblem]

    public init(labels: [TraceLabel] = [], problems: [TraceReadProblem] = []) {
        self.labels = labels
        self.problems = problems
    }
}

/// Reads a labels file (examples/traces/labels.jsonl): one JSON label per line with the expected
/// `failure_type`, `trigger_condition`, `severity` and the `planted_pii` of a trace. Bad lines are
/// reported with their line number; the rest are read. A trace id labelled twice keeps its first label.
public enum LabelReader {
    /// - Throws: `IngestError.notFound` when the file does not exist.
    public static func read(_ path: String, options: TraceReaderOptions = TraceReaderOptions()) throws(IngestError) -> LabelFile {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw .notFound(path) }
        let name = url.lastPathComponent
        let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
        guard size <= options.maxFileBytes, let data = try? Data(contentsOf: url) else {
            let reason =
                size > options.maxFileBytes
                ? "skipped: file is \(Ingestor.byteCount(size)), over the \(Ingestor.byteCount(options.maxFileBytes)) limit"
                : "skipped: cannot read file"
            return LabelFile(problems: [
                TraceReadProblem(
                    kind: size > options.maxFileBytes ? .fileTooLarge : .unreadableFile,
                    source: TraceSource(file: name), reason: reason)
            ])
        }
        return read(data, source: name)
    }

    /// Reads labels from content that arrives without a file.
    public static func read(_ data: Data, source: String) -> LabelFile {
        var file = LabelFile()
        let text: String
        switch TextDecoding.decode(data) {
        case .success(let decoded): text = decoded
        case .failure(let failure):
            file.problems.append(
                TraceReadProblem(kind: .unreadableFile, source: TraceSource(file: source), reason: "skipped: \(failure.reason)"))
            return file
        }
        var seen = Set<String>()
        for (index, bytes) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var line = String(decoding: bytes, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let at = TraceSource(file: source, line: index + 1)
            let json: JSONValue
            do {
                json = try JSONValue.parse(line)
            } catch {
                file.problems.append(
                    TraceReadProblem(
                        kind: .malformedJSON, source: at,
                        reason: "skipped: not valid JSON (\(RecordReader.describe(error, in: line)))"))
                continue
            }
            switch TraceLabel.decode(json) {
            case .success(let label):
                if seen.insert(label.traceID.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()).inserted {
                    file.labels.append(label)
                } else {
                    file.problems.append(
                        TraceReadProblem(
                            kind: .invalidLabel, source: at,
                            reason: "skipped: trace \(label.traceID) is already labelled"))
                }
            case .failure(let problem):
                file.problems.append(TraceReadProblem(kind: .invalidLabel, source: at, reason: "skipped: \(problem.reason)"))
            }
        }
        return file
    }
}
