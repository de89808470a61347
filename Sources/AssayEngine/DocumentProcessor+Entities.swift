import AssayCore
import AssayProviders
import Foundation

/// A document of an entity codebook: one request finds the entities, then one request per
/// entity codes every variable for it. Values carry the entity's 1-based index and name, so
/// each export has a row per entity.
extension DocumentProcessor {
    func processEntities(_ document: Document, jobID: Int64, identification: EntityIdentification) async throws -> DocumentResult {
        var usage = TokenUsage()
        func failed(_ kind: ErrorKind, _ reason: String, reply: String? = nil) -> DocumentResult {
            self.failed(document, jobID: jobID, kind, reason, reply: reply, usage: usage)
        }
        let timedOut = "no usable reply within the time budget of \(budgetText) per request"

        // 1. The entities.
        let entities: [FoundEntity]
        var lastReply: String?
        do {
            guard let found = try await TimeBudget.run(timeBudget, { try await self.identify(document, identification) }) else {
                return failed(.timeout, "finding entities: \(timedOut)")
            }
            usage = usage + found.usage
            switch found.outcome {
            case .success(let list): entities = list
            case .failure(let problem):
                return failed(problem.kind, "finding entities: reply unusable after one retry: \(problem.description)", reply: found.text)
            }
            lastReply = found.text
        } catch let error as ProviderError {
            return failed(error.errorKind, "finding entities: \(error.description)")
        }

        // 2. Every variable, per entity, in the order the document mentions them.
        var extractions: [Extraction] = []
        for (offset, entity) in entities.enumerated() {
            try Task.checkCancellation()
            let index = offset + 1
            let part = "entity \(index) of \(entities.count) (\(entity.name))"
            let exchange: Exchange?
            do {
                let messages = prompt.messages(for: document.text, title: document.title, entity: entity)
                exchange = try await TimeBudget.run(timeBudget) { try await self.ask(messages, about: document.id) }
            } catch let error as ProviderError {
                return failed(error.errorKind, "\(part): \(error.description)")
            }
            guard let exchange else { return failed(.timeout, "\(part): \(timedOut)") }
            usage = usage + exchange.usage
            lastReply = exchange.text
            switch exchange.reply {
            case .parsed(let parsed):
                let coded = result(from: parsed, document: document, jobID: jobID, usage: TokenUsage()).extractions
                extractions += coded.map { value in
                    var value = value
                    value.entityIndex = index
                    value.entityText = entity.name
                    return value
                }
            case .unusable(let kind, let reason, let text):
                return failed(kind, "\(part): \(reason)", reply: text)
            }
        }
        await recorder.entities(entities.count)

        let needsReview = extractions.contains { $0.status == .flagged || $0.status == .failed }
        var result = DocumentResult(
            jobID: jobID, documentID: document.id, codebookVersion: codebookVersion,
            contentHash: document.contentHash, outcome: needsReview ? .flagged : .succeeded,
            extractions: extractions, errors: [], tokensIn: usage.promptTokens, tokensOut: usage.completionTokens)
        charge(usage, to: &result)
        result.reply = lastReply
        return result
    }

    /// What the identification request came to: the entities or why not, and its cost.
    struct Identified: Sendable {
        var outcome: Result<[FoundEntity], ResponseError>
        var usage: TokenUsage
        var text: String
    }

    /// Asks for the document's entities; asks once more, saying what was wrong, if the reply is unusable.
    private func identify(_ document: Document, _ identification: EntityIdentification) async throws -> Identified {
        let messages = identification.messages(for: document.text, title: document.title)
        let first = try await call(
            messages, schema: identification.schema, maxTokens: Self.identificationTokens, about: [document.id], attempt: 1)
        do {
            return Identified(
                outcome: .success(try identification.parse(first.text, documentText: document.text)), usage: first.usage,
                text: first.text)
        } catch {
            try Task.checkCancellation()
            await recorder.reask()
            let retry = try await call(
                prompt.retryMessages(after: messages, reply: first.text, problem: error.description), schema: identification.schema,
                maxTokens: Self.identificationTokens, about: [document.id], attempt: 2)
            let usage = first.usage + retry.usage
            do {
                return Identified(
                    outcome: .success(try identification.parse(retry.text, documentText: document.text)), usage: usage, text: retry.text)
            } catch let again {
                return Identified(outcome: .failure(again), usage: usage, text: retry.text)
            }
        }
    }

    /// Room for `EntityIdentification.maxEntities` names and quotes.
    static var identificationTokens: Int {
        EntityIdentification.maxEntities * (EntityIdentification.nameMaxLength + ExtractionSchema.evidenceMaxLength) / 3 + 64
    }
}
