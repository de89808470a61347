import AssayCore
import AssayProviders
import Foundation

/// Codes several short documents in one request (see `Packer`, `PackedPrompt`). Entries that
/// come back usable are stored like single replies; a document missing from the reply, or whose
/// entry is unusable, is redone alone (with its own re-ask). A request that fails after the
/// provider's retries, or whose reply is not JSON at all, is split in halves down to single
/// documents, so one bad document cannot sink its neighbours.
struct BatchProcessor: Sendable {
    let single: DocumentProcessor
    let packed: PackedPrompt

    init(single: DocumentProcessor) {
        self.single = single
        self.packed = PackedPrompt(base: single.prompt)
    }

    func process(_ documents: [Document], jobID: Int64) async throws -> [DocumentResult] {
        var results: [DocumentResult] = []
        try await process(documents, jobID: jobID, into: &results)
        return results
    }

    private func process(_ documents: [Document], jobID: Int64, into results: inout [DocumentResult]) async throws {
        guard documents.count > 1 else {
            if let document = documents.first {
                results.append(try await single.process(document, jobID: jobID))
            }
            return
        }
        let keys = PackedPrompt.keys(count: documents.count)
        let messages = packed.messages(
            for: zip(keys, documents).map { key, document in
                PackedPrompt.Document(key: key, title: document.title, text: document.text)
            })
        let entries: [String: PackedPrompt.Entry]
        let usage: TokenUsage
        let schema = packed.schema(keys: keys)
        do {
            // The batch gets the time of its documents together; a batch that runs out is split
            // like one that failed, so each half gets its own budget.
            let budget = single.timeBudget.map { $0 * documents.count }
            guard
                let response = try await TimeBudget.run(
                    budget,
                    { [single] in
                        try await single.call(
                            messages, schema: schema, maxTokens: single.maxTokens * documents.count,
                            about: documents.map(\.id), attempt: 1)
                    })
            else {
                try await split(documents, jobID: jobID, into: &results)
                return
            }
            usage = response.usage
            entries = try packed.parse(response.text, keys: keys)
        } catch is ProviderError {
            try await split(documents, jobID: jobID, into: &results)
            return
        } catch is ResponseError {
            try await split(documents, jobID: jobID, into: &results)
            return
        }
        // Each document is charged an equal share of the request's tokens.
        let share = TokenUsage(
            promptTokens: usage.promptTokens / documents.count,
            completionTokens: usage.completionTokens / documents.count,
            cachedPromptTokens: usage.cachedPromptTokens / documents.count)
        for (key, document) in zip(keys, documents) {
            if case .parsed(let parsed)? = entries[key] {
                results.append(single.result(from: parsed, document: document, jobID: jobID, usage: share))
            } else {
                try Task.checkCancellation()
                await single.recorder.redoneAlone()
                results.append(try await single.process(document, jobID: jobID))
            }
        }
    }

    private func split(_ documents: [Document], jobID: Int64, into results: inout [DocumentResult]) async throws {
        try Task.checkCancellation()
        await single.recorder.split()
        let middle = documents.count / 2
        try await process(Array(documents[..<middle]), jobID: jobID, into: &results)
        try await process(Array(documents[middle...]), jobID: jobID, into: &results)
    }
}
