import AssayCore
import Testing

@Suite struct PromptTests {
    @Test func schemaAsksForEveryVariableWithEvidenceAndConfidence() throws {
        let schema = ExtractionSchema.make(for: Fixtures.codebook)
        let required = try #require(schema["required"]?.arrayValue).compactMap(\.stringValue)
        #expect(required == Fixtures.codebook.variables.map(\.name))
        let issue = try #require(schema["properties"]?["issue"])
        #expect(issue["required"] == ["evidence", "rationale", "value", "confidence"])
        #expect(issue["properties"]?["value"]?["enum"] == ["labor", "housing", nil])
        #expect(schema["properties"]?["organizers"]?["properties"]?["value"]?["maxItems"] == 2)
        #expect(schema["properties"]?["city"]?["properties"]?["value"]?["maxLength"] == 60)
    }

    @Test func listItemsOfAnAllVariableAreNeverNull() {
        let text = ExtractionSchema.valueSchema(for: Variable(name: "names", type: .text, ifMultipleValues: .all))
        #expect(text["type"] == ["array", "null"])
        #expect(text["items"]?["type"] == "string")
        let category = ExtractionSchema.valueSchema(
            for: Variable(
                name: "kinds", type: .category, categories: [Category(code: "a", label: "A")], ifMultipleValues: .all))
        #expect(category["items"]?["enum"] == ["a"])
    }

    @Test func theGoodReplyMatchesTheFullSchema() {
        let schema = ExtractionSchema.make(for: Fixtures.codebook)
        #expect(SchemaValidator.violations(of: Fixtures.goodReply, against: schema).isEmpty)
    }

    @Test func hashIsStableAndFollowsTheCodebook() {
        let a = ExtractionPrompt(codebook: Fixtures.codebook)
        let b = ExtractionPrompt(codebook: Fixtures.codebook)
        #expect(a.hash == b.hash)
        var changed = Fixtures.codebook
        changed.variables[0].instructions = "Only the first day."
        #expect(ExtractionPrompt(codebook: changed).hash != a.hash)
    }

    @Test func messagesWrapTheDocumentAndDescribeTheCodebook() {
        let prompt = ExtractionPrompt(codebook: Fixtures.codebook)
        let messages = prompt.messages(for: "Some text.", title: "T")
        #expect(messages.count == 2)
        #expect(messages[1].content.contains("<document>\nSome text.\n</document>"))
        #expect(messages[1].content.contains("- issue (one of the codes below)"))
        #expect(messages[1].content.contains("Only applies when violence = true"))
        let retry = prompt.retryMessages(after: messages, reply: "oops", problem: "not JSON")
        #expect(retry.count == 4)
        #expect(retry[3].content.contains("not JSON"))
    }

    @Test func outputBudgetGrowsWithTheCodebook() {
        let one = Codebook(variables: [Fixtures.codebook.variables[0]])
        #expect(ExtractionSchema.maxOutputTokens(for: Fixtures.codebook) > ExtractionSchema.maxOutputTokens(for: one))
    }
}
