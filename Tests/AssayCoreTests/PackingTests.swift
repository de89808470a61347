import AssayCore
import Testing

@Suite struct PackerTests {
    let budget = Packer.Budget(requestTokens: 1000, fixedTokens: 200, outputTokensPerDocument: 88, longDocumentTokens: 300)

    @Test func packsInOrderUnderTheBudget() {
        // Each short document costs 100 + 12 + 88 = 200; 200 fixed + 4 × 200 = 1000 fits exactly.
        let items = Array(repeating: Packer.Item(tokens: 100), count: 10)
        let batches = Packer.pack(items, budget: budget)
        #expect(batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        for batch in batches {
            let cost = budget.fixedTokens + batch.count * (100 + 12 + budget.outputTokensPerDocument)
            #expect(cost <= budget.requestTokens)
        }
    }

    @Test func longDocumentsGoAloneAndKeepTheirPlace() {
        let items = [Packer.Item(tokens: 50), Packer.Item(tokens: 301), Packer.Item(tokens: 50), Packer.Item(tokens: 5000)]
        #expect(Packer.pack(items, budget: budget) == [[1], [3], [0, 2]])
    }

    @Test func respectsTheDocumentLimit() {
        var small = budget
        small.maxDocumentsPerRequest = 2
        #expect(Packer.pack(Array(repeating: Packer.Item(tokens: 1), count: 5), budget: small) == [[0, 1], [2, 3], [4]])
    }

    @Test func packingPaysOnlyWhenTwoFit() {
        #expect(Packer.pays([Packer.Item(tokens: 10), Packer.Item(tokens: 10)], budget: budget))
        #expect(!Packer.pays([Packer.Item(tokens: 400), Packer.Item(tokens: 400)], budget: budget))
        #expect(Packer.pack([], budget: budget).isEmpty)
    }
}

@Suite struct PackedPromptTests {
    let packed = PackedPrompt(base: ExtractionPrompt(codebook: Fixtures.codebook))

    @Test func tagsEveryDocumentAndAsksForEveryKey() {
        let docs = [PackedPrompt.Document(key: "D1", text: "first"), PackedPrompt.Document(key: "D2", title: "T", text: "second")]
        let user = packed.messages(for: docs)[1].content
        #expect(user.contains("<document id=\"D1\">\nfirst\n</document>"))
        #expect(user.contains("<document id=\"D2\">\nTitle: T\nsecond\n</document>"))
        let schema = packed.schema(keys: PackedPrompt.keys(count: 2))
        #expect(schema["required"] == ["D1", "D2"])
        #expect(schema["properties"]?["D2"] == packed.base.schema)
        #expect(PackedPrompt.keys(count: 0).isEmpty)
    }

    @Test func splitsAReplyByTagAndReportsMissingAndInvalidEntries() throws {
        var bad = Fixtures.goodReply.objectValue!
        bad.removeValue(forKey: "city")
        let reply: JSONValue = ["D1": Fixtures.goodReply, "D3": .object(bad)]
        let entries = try packed.parse("```json\n\(reply.serialized())\n```", keys: ["D1", "D2", "D3"])
        guard case .parsed(let first) = entries["D1"] else {
            Issue.record("D1 not parsed")
            return
        }
        #expect(first.answers["participants"]?.value == 2500)
        #expect(entries["D2"] == .missing)
        guard case .invalid(let error) = entries["D3"] else {
            Issue.record("D3 not invalid")
            return
        }
        #expect(error.kind == .schemaValidation)
    }

    @Test func aReplyThatIsNotJSONThrows() {
        #expect(throws: ResponseError.self) { try packed.parse("no", keys: ["D1"]) }
        #expect(throws: ResponseError.self) { try packed.parse("[1]", keys: ["D1"]) }
    }
}

@Suite struct JobMetricsTests {
    @Test func derivedFigures() {
        let m = JobMetrics(requests: 4, documents: 12, reasks: 1, redoneAlone: 1, valuesStored: 30)
        #expect(m.documentsPerRequest == 3)
        #expect(m.valuesPerDocument == 2.5)
        #expect(m.callsSavedByPacking == 10)
        #expect(JobMetrics(requests: 14, documents: 12).callsSavedByPacking == 0)
    }

    @Test func nearestRankPercentile() {
        let latencies = (1...100).map(Double.init)
        #expect(JobMetrics.percentile(95, of: latencies) == 95)
        #expect(JobMetrics.percentile(95, of: [7]) == 7)
        #expect(JobMetrics.percentile(95, of: []) == 0)
    }
}
