import AssayCore
import Testing

@Suite struct ChunkerTests {
    /// Sentences numbered so every chunk can be checked for what it holds.
    static func text(sentences: Int) -> String {
        (1...sentences).map { "Sentence number \($0) says something about the protest in the square." }
            .joined(separator: " ")
    }

    @Test func aShortDocumentIsOneChunk() {
        let chunks = Chunker().chunks("A short text. Only two sentences.")
        #expect(chunks.count == 1 && chunks[0].start == 0 && chunks[0].text == "A short text. Only two sentences.")
    }

    @Test func aLongDocumentSplitsOnSentencesUnderTheBudgetWithOverlap() {
        let text = Self.text(sentences: 200)  // ~3,600 tokens
        let chunker = Chunker(chunkTokens: 1000, overlapTokens: 100)
        let chunks = chunker.chunks(text)
        #expect(chunks.count >= 4)
        let scalars = Array(text.unicodeScalars)
        for chunk in chunks {
            #expect(TokenEstimator.estimate(chunk.text) <= 1000)
            // Offsets point at the chunk's own text in the document.
            #expect(String(String.UnicodeScalarView(scalars[chunk.start..<chunk.end])) == chunk.text)
            // Chunks start at a sentence.
            #expect(chunk.text.hasPrefix("Sentence number"))
        }
        #expect(chunks.first?.start == 0 && chunks.last?.end == scalars.count)
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(next.start < previous.end, "consecutive chunks overlap")
            #expect(previous.end - next.start <= 100 * 4, "by no more than the overlap")
            #expect(next.start > previous.start, "and always move forward")
        }
    }

    @Test func textWithoutBoundariesIsCutAtWhitespaceOrTheLimit() {
        let words = String(repeating: "word ", count: 2000)
        let chunks = Chunker(chunkTokens: 100, overlapTokens: 0).chunks(words)
        #expect(chunks.count >= 20)
        #expect(chunks.allSatisfy { TokenEstimator.estimate($0.text) <= 100 && !$0.text.hasPrefix("ord") })
        #expect(chunks.map(\.text).joined() == words)

        let solid = String(repeating: "x", count: 1000)
        let cut = Chunker(chunkTokens: 50, overlapTokens: 0).chunks(solid)
        #expect(cut.map(\.text).joined() == solid && cut.count == 5)
    }

    @Test func offsetsCountUnicodeScalars() {
        let text = (1...120).map { "Émeute numéro \($0) à Zürich — 😀 beaucoup de monde." }.joined(separator: "\n")
        let chunks = Chunker(chunkTokens: 300, overlapTokens: 30).chunks(text)
        let scalars = Array(text.unicodeScalars)
        #expect(chunks.count > 1)
        #expect(chunks.allSatisfy { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) == $0.text })
    }
}

@Suite struct ChunkMergeTests {
    static let document = "The march began in Lyon. Later, police arrived. The crowd moved to Paris. Organisers were CGT and SUD."

    static func reply(_ answers: [String: RawAnswer]) -> ParsedReply {
        ParsedReply(answers: .init(uniqueKeysWithValues: answers.map { ($0.key, $0.value) }))
    }

    static let codebook = Codebook(variables: [
        Variable(name: "first_city", type: .text, ifMultipleValues: .first),
        Variable(name: "last_city", type: .text, ifMultipleValues: .last),
        Variable(name: "organisers", type: .text, ifMultipleValues: .all, maxValues: 3),
        Variable(name: "police", type: .boolean, ifMultipleValues: .summarize),
        Variable(name: "injuries", type: .number),
    ])

    @Test func eachRuleMergesAcrossChunks() {
        let one = Self.reply([
            "first_city": RawAnswer(value: "Lyon", confidence: 0.6, evidence: "The march began in Lyon."),
            "last_city": RawAnswer(value: "Lyon", confidence: 0.9, evidence: "The march began in Lyon."),
            "organisers": RawAnswer(value: ["CGT"], confidence: 0.7, evidence: "Organisers were CGT"),
            "police": RawAnswer(value: true, confidence: 0.95, evidence: "police came with dogs"),  // not in the text
            "injuries": RawAnswer(value: .null, confidence: 0.4),
        ])
        let two = Self.reply([
            "first_city": RawAnswer(value: "Paris", confidence: 0.9, evidence: "The crowd moved to Paris."),
            "last_city": RawAnswer(value: "Paris", confidence: 0.5, evidence: "The crowd moved to Paris."),
            "organisers": RawAnswer(value: ["CGT", "SUD", "FO", "CFDT"], confidence: 0.8, evidence: "CGT and SUD"),
            "police": RawAnswer(value: true, confidence: 0.7, evidence: "Later, police arrived."),
            "injuries": RawAnswer(value: .null, confidence: 0.8),
        ])
        let merged = ChunkMerge.merge([one, two], codebook: Self.codebook, documentText: Self.document)
        #expect(merged.answers["first_city"]?.value == "Lyon")
        #expect(merged.answers["last_city"]?.value == "Paris")
        #expect(merged.answers["organisers"]?.value == ["CGT", "SUD", "FO"])
        // Grounded evidence beats higher confidence with a quote that is not in the document.
        #expect(merged.answers["police"]?.evidence == "Later, police arrived.")
        #expect(merged.answers["injuries"]?.value == .null && merged.answers["injuries"]?.confidence == 0.8)
    }

    @Test func oneReplyIsReturnedAsIs() {
        let only = Self.reply(["injuries": RawAnswer(value: 3, confidence: 0.9)])
        #expect(ChunkMerge.merge([only], codebook: Self.codebook, documentText: Self.document) == only)
    }
}

@Suite struct TokenEstimatorTests {
    @Test func familiesDivideByTheirCharactersPerToken() {
        let text = String(repeating: "a", count: 900)
        #expect(TokenEstimator.estimate(text) == 225)
        #expect(TokenEstimator.estimate(text, family: .smollm) == 200)
        #expect(TokenEstimator.estimate(text, family: .anthropic) == 258)
        #expect(TokenEstimator.estimate("") == 0 && TokenEstimator.estimate("a") == 1)
    }
}
