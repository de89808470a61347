import AssayCore
import Testing

@Suite struct CoercionTests {
    @Test(arguments: [
        ("2024-03-03", "2024-03-03"), ("2024-03-03T10:00:00Z", "2024-03-03"), ("March 3, 2024", "2024-03-03"),
        ("3 March 2024", "2024-03-03"), ("Tuesday 4 June 2024", "2024-06-04"), ("3/14/2023", "2023-03-14"),
        ("14/3/2023", "2023-03-14"), ("14.03.2023", "2023-03-14"), ("2024/03/03", "2024-03-03"),
        ("Sept. 21st, 2022", "2022-09-21"),
    ])
    func datesBecomeISO(_ input: String, _ expected: String) throws {
        #expect(try Coercion.date(.string(input)) == expected)
    }

    @Test(arguments: ["March 2024", "yesterday", "2023-02-30", "13/13/2023"])
    func incompleteOrImpossibleDatesFail(_ input: String) {
        #expect(throws: Coercion.Failure.self) { try Coercion.date(.string(input)) }
    }

    @Test(arguments: [
        ("about 2,500", 2500.0), ("12 000 people", 12000), ("1.5 million", 1_500_000), ("3,5", 3.5),
        ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("12.500", 12500), ("0.5", 0.5), ("-4", -4), ("800 (police figure)", 800),
    ])
    func numbersWithSeparatorsAndWords(_ input: String, _ expected: Double) throws {
        #expect(try Coercion.number(.string(input)) == expected)
    }

    @Test func booleansFromWords() throws {
        #expect(try Coercion.boolean("Yes") == true)
        #expect(try Coercion.boolean("no") == false)
        #expect(try Coercion.boolean(1) == true)
        #expect(throws: Coercion.Failure.self) { try Coercion.boolean("maybe") }
    }

    @Test func categoriesByCodeOrLabelIgnoringCase() throws {
        let issue = Fixtures.codebook.variables[2]
        #expect(try Coercion.category(" LABOR ", of: issue) == "labor")
        #expect(try Coercion.category("housing", of: issue) == "housing")
        #expect(try Coercion.category("labour and wages", of: issue) == "labor")
        #expect(throws: Coercion.Failure.self) { try Coercion.category("climate", of: issue) }
    }

    @Test func noneWordsBecomeNull() throws {
        #expect(try Coercion.coerce("N/A", to: Fixtures.codebook.variables[3]) == .null)
    }
}

@Suite struct GrounderTests {
    let text = "Teachers marched in Lisbon.\nAbout  2,500 people joined — peacefully. Café owners cheered."

    @Test func exactMatchGivesScalarOffsets() {
        let evidence = Grounder.locate("Café owners cheered", in: text)
        #expect(evidence.match == .exact)
        let scalars = Array(text.unicodeScalars)
        let slice = String(String.UnicodeScalarView(scalars[evidence.start!..<evidence.end!]))
        #expect(slice == "Café owners cheered")
    }

    @Test func normalizedMatchIgnoresCaseWhitespaceAndDashes() {
        let evidence = Grounder.locate("about 2,500 people joined - peacefully", in: text)
        #expect(evidence.match == .normalized)
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[evidence.start!..<evidence.end!])) == "About  2,500 people joined — peacefully")
    }

    @Test func fuzzyMatchFindsAParaphrasedQuote() {
        let evidence = Grounder.locate("Teachers marched in central Lisbon", in: text)
        #expect(evidence.match == .fuzzy)
        #expect(evidence.start == 0)
    }

    @Test func inventedQuotesAreNotFound() {
        #expect(Grounder.locate("the police arrested twelve people", in: text).match == .notFound)
        #expect(Grounder.locate("Porto", in: text).match == .notFound)
    }
}

@Suite struct ValuePostProcessorTests {
    func process(_ reply: JSONValue) throws -> [String: ProcessedValue] {
        let parsed = try ResponseParser.parse(reply.serialized(), prompt: ExtractionPrompt(codebook: Fixtures.codebook))
        let values = ValuePostProcessor.process(parsed, codebook: Fixtures.codebook, documentText: Fixtures.document)
        return Dictionary(uniqueKeysWithValues: values.map { ($0.variable, $0) })
    }

    func reply(_ changes: [String: JSONValue]) -> JSONValue {
        var object = Fixtures.goodReply.objectValue!
        for (k, v) in changes { object[k] = v }
        return .object(object)
    }

    @Test func aGoodReplyValidatesWithGroundedEvidence() throws {
        let values = try process(Fixtures.goodReply)
        #expect(values.values.allSatisfy { $0.status == .validated })
        #expect(values["event_date"]?.value == "2024-03-03")
        #expect(values["organizers"]?.value == ["FENPROF", "Estudantes Unidos"])
        #expect(values["city"]?.evidence?.match == .exact)
        #expect(values["injuries"]?.note?.contains("does not apply") == true)
    }

    @Test func coercesValuesWrittenAsText() throws {
        let values = try process(
            reply([
                "participants": Fixtures.answer("about 2,500", evidence: "About 2,500 people"),
                "event_date": Fixtures.answer("March 3, 2024", evidence: "March 3, 2024"),
                "violence": Fixtures.answer("no", evidence: "The protest was peaceful."),
            ]))
        #expect(values["participants"]?.value == 2500)
        #expect(values["event_date"]?.value == "2024-03-03")
        #expect(values["violence"]?.value == false)
    }

    @Test func lowConfidenceAppliesIfUncertain() throws {
        let values = try process(
            reply([
                "city": Fixtures.answer("Lisbon", confidence: 0.3, evidence: "Lisbon"),  // flag (default)
                "violence": Fixtures.answer(true, evidence: "The protest was peaceful."),
                "injuries": Fixtures.answer(3, confidence: 0.2, evidence: "peaceful"),  // if_uncertain: null
            ]))
        #expect(values["city"]?.status == .flagged)
        #expect(values["city"]?.value == "Lisbon")
        #expect(values["city"]?.note?.contains("below threshold 0.7") == true)
        #expect(values["injuries"]?.value == .null)
        #expect(values["injuries"]?.note?.contains("withheld") == true)
    }

    @Test func skipLeavesNothingToStore() throws {
        var codebook = Fixtures.codebook
        codebook.variables[1].ifUncertain = .skip
        let parsed = try ResponseParser.parse(
            reply(["city": Fixtures.answer("Lisbon", confidence: 0.1, evidence: "Lisbon")]).serialized(),
            prompt: ExtractionPrompt(codebook: codebook))
        let city = ValuePostProcessor.process(parsed, codebook: codebook, documentText: Fixtures.document)[1]
        #expect(city.skipped)
    }

    @Test func ruleViolationsFailTheValueAndSayWhy() throws {
        let values = try process(
            reply([
                "participants": Fixtures.answer(5_000_000, evidence: "About 2,500 people"),
                "event_date": Fixtures.answer("1850-01-01", evidence: "March 3, 2024"),
            ]))
        #expect(values["participants"]?.status == .failed)
        #expect(values["participants"]?.value == .null)
        #expect(values["participants"]?.note == "5000000 is above the maximum 1000000")
        #expect(values["event_date"]?.note?.contains("is before 1900-01-01") == true)
    }

    @Test func uncoercibleValuesFail() throws {
        let values = try process(reply(["issue": Fixtures.answer("climate", evidence: "Teachers")]))
        #expect(values["issue"]?.status == .failed)
        #expect(values["issue"]?.note?.contains("not one of the categories") == true)
    }

    @Test func missingEvidenceOrInventedQuotesAreFlagged() throws {
        let values = try process(
            reply([
                "city": Fixtures.answer("Lisbon", evidence: "Protesters gathered in central Porto yesterday"),
                "participants": Fixtures.answer(2500, evidence: ""),
            ]))
        #expect(values["city"]?.status == .flagged)
        #expect(values["city"]?.note == "evidence quote not found in the document")
        #expect(values["participants"]?.note == "no evidence quote given")
    }

    @Test func requiredWithoutValueIsFlaggedAndDefaultsFillIn() throws {
        var values = try process(reply(["issue": Fixtures.answer(nil)]))
        #expect(values["issue"]?.status == .flagged)
        #expect(values["issue"]?.note?.contains("required") == true)

        var codebook = Fixtures.codebook
        codebook.variables[2].defaultValue = "labor"
        let parsed = try ResponseParser.parse(
            reply(["issue": Fixtures.answer(nil)]).serialized(), prompt: ExtractionPrompt(codebook: codebook))
        values = Dictionary(
            uniqueKeysWithValues: ValuePostProcessor.process(parsed, codebook: codebook, documentText: Fixtures.document).map {
                ($0.variable, $0)
            })
        #expect(values["issue"]?.value == "labor")
        #expect(values["issue"]?.note?.contains("default used") == true)
    }

    @Test func dependsOnAppliesWhenTheConditionHolds() throws {
        let values = try process(
            reply([
                "violence": Fixtures.answer(true, evidence: "The protest was peaceful."),
                "injuries": Fixtures.answer(4, evidence: "The protest was peaceful."),
            ]))
        #expect(values["injuries"]?.value == 4)
        #expect(values["injuries"]?.status == .validated)
    }

    @Test func multipleValuesFollowTheRule() throws {
        let values = try process(
            reply([
                "organizers": Fixtures.answer(["FENPROF", "Estudantes Unidos", "Third"], evidence: "FENPROF"),
                "city": Fixtures.answer(["Lisbon", "Porto"], evidence: "Lisbon"),
            ]))
        #expect(values["organizers"]?.value == ["FENPROF", "Estudantes Unidos"])
        #expect(values["organizers"]?.note == "kept the first 2 of 3 values")
        #expect(values["city"]?.value == "Lisbon")
    }
}
