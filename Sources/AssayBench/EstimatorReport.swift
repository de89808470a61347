import AssayCore
import AssayProviders
import Foundation

/// How far the token estimate is from the model's own count, per tokenizer family, on the
/// example documents: the error packing budgets carry when no exact count is available.
enum EstimatorReport {
    static func print(tokenizerURL: String) async throws {
        let folder = URL(fileURLWithPath: "examples/protests/docs")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else { throw BenchError("no example documents in \(folder.path); run from the repository root") }
        let tokenizer = LlamaServerTokenizer(baseURL: tokenizerURL)
        var exact: [(text: String, tokens: Int)] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            exact.append((text, try await tokenizer.countTokens(text)))
        }
        Swift.print(
            "token estimate vs llama-server /tokenize on \(files.count) example documents (\(exact.map(\.tokens).reduce(0, +)) tokens):")
        Swift.print("  family      chars/token  mean |error|  max |error|")
        for family in TokenEstimator.Family.allCases {
            let errors = exact.map { abs(Double(TokenEstimator.estimate($0.text, family: family) - $0.tokens)) / Double($0.tokens) }
            let name = family.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            Swift.print(
                name.isEmpty
                    ? ""
                    : "  " + name
                        + String(
                            format: "  %11.1f  %11.1f %%  %10.1f %%", family.charactersPerToken,
                            errors.reduce(0, +) / Double(errors.count) * 100, (errors.max() ?? 0) * 100))
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
