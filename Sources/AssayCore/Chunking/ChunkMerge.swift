import OrderedCollections

/// Merges the replies for the chunks of one document into one reply, per variable by its
/// `if_multiple_values` rule, keeping the best-grounded evidence:
///
/// - `first` / `last`: the first / last chunk (in document order) that found a value;
/// - `all`: every distinct value found, in document order, up to `max_values`;
/// - `summarize`: the best answer — grounded evidence first (exact, then normalised, then fuzzy),
///   then confidence.
///
/// A variable no chunk found keeps the most confident "not found" answer. Evidence is judged
/// against the whole document text, which is also where the merged reply is grounded later.
public enum ChunkMerge {
    public static func merge(_ replies: [ParsedReply], codebook: Codebook, documentText: String) -> ParsedReply {
        guard replies.count > 1 else { return replies.first ?? ParsedReply(answers: [:]) }
        var merged = OrderedDictionary<String, RawAnswer>()
        for variable in codebook.variables {
            let answers = replies.compactMap { $0.answers[variable.name] }
            guard !answers.isEmpty else { continue }
            let found = answers.filter { hasValue($0.value) }
            guard !found.isEmpty else {
                merged[variable.name] = answers.max { $0.confidence < $1.confidence }
                continue
            }
            switch variable.ifMultipleValues {
            case .first: merged[variable.name] = found.first
            case .last: merged[variable.name] = found.last
            case .summarize: merged[variable.name] = best(found, in: documentText)
            case .all: merged[variable.name] = union(found, maxValues: variable.maxValues, in: documentText)
            }
        }
        return ParsedReply(answers: merged, repaired: replies.contains { $0.repaired })
    }

    static func hasValue(_ value: JSONValue) -> Bool {
        if value.isNull { return false }
        if let list = value.arrayValue { return list.contains { !$0.isNull } }
        return true
    }

    /// Grounded before ungrounded, then the more confident.
    static func best(_ answers: [RawAnswer], in text: String) -> RawAnswer {
        func rank(_ answer: RawAnswer) -> Int {
            switch Grounder.locate(answer.evidence, in: text).match {
            case .exact: 3
            case .normalized: 2
            case .fuzzy: 1
            case .notFound: 0
            }
        }
        let ranked = answers.map { (answer: $0, rank: rank($0)) }
        return ranked.max { ($0.rank, $0.answer.confidence) < ($1.rank, $1.answer.confidence) }!.answer
    }

    static func union(_ answers: [RawAnswer], maxValues: Int?, in text: String) -> RawAnswer {
        var values: [JSONValue] = []
        var seen = Set<String>()
        for answer in answers {
            for value in answer.value.arrayValue ?? [answer.value] where !value.isNull {
                if seen.insert(value.serialized()).inserted { values.append(value) }
            }
        }
        if let maxValues { values = Array(values.prefix(maxValues)) }
        var result = best(answers, in: text)
        result.value = .array(values)
        return result
    }
}
