import AssayCore
import AssayIngest
import Foundation

/// Limits for reading trace files.
public struct TraceReaderOptions: Sendable, Hashable {
    /// Files larger than this are refused unread (`file_too_large`). Default 64 MB: a whole file
    /// is held in memory while it is parsed, and 64 MB is over ten thousand typical traces
    /// (a few KB each) or a few dozen huge ones; split larger exports.
    public var maxFileBytes: Int

    public init(maxFileBytes: Int = 64 * 1024 * 1024) {
        self.maxFileBytes = maxFileBytes
    }
}

/// Reads failure traces from files and folders: a `.json` file holds one trace object or an array
/// of them, a `.jsonl` / `.ndjson` file one trace per line, and a folder is walked recursively
/// (hidden entries skipped, files in path order). Every file, line or record that yields no trace
/// becomes a `TraceReadProblem` with its location and reason; one bad line never stops the rest.
/// The format is described in examples/traces/README.md; `TraceJSON` maps each object.
public enum TraceReader {
    /// The file extensions read as traces.
    public static let extensions = ["json", "jsonl", "ndjson"]

    /// Reads every trace under `paths` (files or folders), in order.
    /// - Parameter base: sources are named relative to this folder when a file lies inside it.
    /// - Throws: `IngestError.notFound` before reading anything when a path does not exist.
    public static func read(
        _ paths: [String], options: TraceReaderOptions = TraceReaderOptions(),
        relativeTo base: URL? = nil
    ) throws(IngestError) -> [TraceReadResult] {
        var roots: [URL] = []
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else { throw .notFound(path) }
            roots.append(url.resolvingSymlinksInPath())
        }
        let basePath = base.map { $0.standardizedFileURL.resolvingSymlinksInPath().path }
        func name(_ url: URL) -> String {
            if let basePath {
                let prefix = basePath.hasSuffix("/") ? basePath : basePath + "/"
                if url.path.hasPrefix(prefix), url.path.count > prefix.count { return String(url.path.dropFirst(prefix.count)) }
            }
            return url.path
        }

        var reader = Batch()
        var seenFiles = Set<String>()
        for root in roots {
            var walk = FolderWalk()
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue {
                walk.visit(folder: root)
            } else {
                walk.files.append(root)
            }
            for (url, reason) in walk.unlistable {
                reader.problem(.unreadableFile, TraceSource(file: name(url)), reason)
            }
            for file in walk.files.sorted(by: { $0.path < $1.path }) where seenFiles.insert(file.path).inserted {
                reader.readFile(at: file, name: name(file), options: options)
            }
        }
        return reader.results
    }

    /// Reads traces from content that arrives without a file (an upload).
    /// - Parameter source: the file name, whose extension picks JSON or JSONL (`traces.jsonl`).
    public static func read(_ data: Data, source: String, options: TraceReaderOptions = TraceReaderOptions()) -> [TraceReadResult] {
        var reader = Batch()
        reader.readData(data, name: source, options: options)
        return reader.results
    }

    /// One read: its results so far and the trace ids already read, so duplicates are caught
    /// across files.
    struct Batch {
        var results: [TraceReadResult] = []
        var seen: [String: TraceSource] = [:]

        mutating func problem(_ kind: TraceReadProblem.Kind, _ source: TraceSource, _ reason: String) {
            results.append(.problem(TraceReadProblem(kind: kind, source: source, reason: reason)))
        }

        mutating func readFile(at url: URL, name: String, options: TraceReaderOptions) {
            let source = TraceSource(file: name)
            guard TraceReader.extensions.contains(url.pathExtension.lowercased()) else {
                return unsupported(url.pathExtension, source)
            }
            let resolved = url.resolvingSymlinksInPath()
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved.path) else {
                return problem(.unreadableFile, source, "skipped: cannot read file")
            }
            if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
                return problem(.unreadableFile, source, "skipped: not a regular file")
            }
            // Checked before reading: a huge file would fill memory.
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            if size > options.maxFileBytes { return tooLarge(size, options, source) }
            do {
                readData(try Data(contentsOf: resolved), name: name, options: options)
            } catch {
                problem(.unreadableFile, source, "skipped: cannot read file (\(error.localizedDescription))")
            }
        }

        mutating func readData(_ data: Data, name: String, options: TraceReaderOptions) {
            let source = TraceSource(file: name)
            let ext = URL(fileURLWithPath: name).pathExtension.lowercased()
            guard TraceReader.extensions.contains(ext) else { return unsupported(ext, source) }
            if data.count > options.maxFileBytes { return tooLarge(data.count, options, source) }
            let text: String
            switch TextDecoding.decode(data) {
            case .success(let decoded): text = decoded
            case .failure(let failure): return problem(.unreadableFile, source, "skipped: \(failure.reason)")
            }
            guard !text.allSatisfy(\.isWhitespace) else { return problem(.emptyFile, source, "skipped: empty file") }
            if ext == "json" { readJSON(text, name: name) } else { readLines(text, name: name) }
        }

        mutating func readJSON(_ text: String, name: String) {
            let value: JSONValue
            do {
                value = try JSONValue.parse(text)
            } catch {
                return problem(
                    .malformedJSON, TraceSource(file: name), "skipped: not valid JSON (\(RecordReader.describe(error, in: text)))")
            }
            if case .array(let items) = value {
                if items.isEmpty { return problem(.emptyFile, TraceSource(file: name), "skipped: no traces (the array is empty)") }
                for (i, item) in items.enumerated() { add(item, TraceSource(file: name, record: i + 1)) }
            } else {
                add(value, TraceSource(file: name))
            }
        }

        mutating func readLines(_ text: String, name: String) {
            var any = false
            // Split on LF bytes: Swift reads CRLF as one Character.
            for (index, bytes) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
                var line = String(decoding: bytes, as: UTF8.self)
                if line.hasSuffix("\r") { line.removeLast() }
                guard !line.allSatisfy(\.isWhitespace) else { continue }
                any = true
                let source = TraceSource(file: name, line: index + 1)
                do {
                    add(try JSONValue.parse(line), source)
                } catch {
                    problem(.malformedJSON, source, "skipped: not valid JSON (\(RecordReader.describe(error, in: line)))")
                }
            }
            if !any { problem(.emptyFile, TraceSource(file: name), "skipped: empty file") }
        }

        mutating func add(_ value: JSONValue, _ source: TraceSource) {
            switch TraceJSON.decode(value) {
            case .success(let trace):
                let key = trace.traceID.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                if let first = seen[key] {
                    return problem(.duplicateTraceID, source, "skipped: trace id \(trace.traceID) was already read at \(first)")
                }
                seen[key] = source
                results.append(.trace(trace, source: source))
            case .failure(let failure):
                let kind: TraceReadProblem.Kind =
                    switch failure {
                    case .notAnObject: .notATrace
                    case .noTraceID, .traceIDTooLong, .nulInTraceID: .noTraceID
                    case .noTimestamp: .noTimestamp
                    }
                var reason = failure.description
                if failure == .noTraceID, value["resourceSpans"] != nil || value["resource_spans"] != nil {
                    reason += " (this looks like an OTLP export: write one trace object per trace, see examples/traces/README.md)"
                }
                problem(kind, source, reason)
            }
        }

        mutating func unsupported(_ ext: String, _ source: TraceSource) {
            let what = ext.isEmpty ? "a file without an extension" : "a .\(ext.lowercased()) file"
            problem(.unsupportedFile, source, "skipped: \(what) (trace files end in .json, .jsonl or .ndjson)")
        }

        mutating func tooLarge(_ size: Int, _ options: TraceReaderOptions, _ source: TraceSource) {
            problem(
                .fileTooLarge, source,
                "skipped: file is \(Ingestor.byteCount(size)), over the \(Ingestor.byteCount(options.maxFileBytes)) limit for trace files; split it into smaller files"
            )
        }
    }
}
