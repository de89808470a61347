import AssayCore

/// A small codebook with every variable type, shared by the core tests.
enum Fixtures {
    static let codebook = Codebook(
        name: "protests",
        variables: [
            Variable(name: "event_date", type: .date, validation: ValidationRules(minDate: "1900-01-01", maxDate: "2030-12-31")),
            Variable(name: "city", type: .text, validation: ValidationRules(maxLength: 60)),
            Variable(
                name: "issue", type: .category,
                categories: [Category(code: "labor", label: "Labour and wages"), Category(code: "housing", label: "Housing")],
                required: true),
            Variable(name: "participants", type: .number, validation: ValidationRules(min: 0, max: 1_000_000)),
            Variable(name: "violence", type: .boolean),
            Variable(
                name: "injuries", type: .number, ifUncertain: .null,
                dependsOn: Dependency(variable: "violence", equals: true)),
            Variable(name: "organizers", type: .text, ifMultipleValues: .all, maxValues: 2),
        ])

    static let document = """
        Teachers marched in Lisbon on March 3, 2024. About 2,500 people joined the march, organised by \
        the teachers' union FENPROF and the student group Estudantes Unidos. The protest was peaceful.
        """

    static func answer(_ value: JSONValue, confidence: Double = 0.9, evidence: String = "", rationale: String = "r") -> JSONValue {
        ["evidence": .string(evidence), "rationale": .string(rationale), "value": value, "confidence": .number(confidence)]
    }

    /// A complete, good reply for `document`.
    static var goodReply: JSONValue {
        [
            "event_date": answer("2024-03-03", evidence: "March 3, 2024"),
            "city": answer("Lisbon", evidence: "Teachers marched in Lisbon"),
            "issue": answer("labor", evidence: "Teachers marched"),
            "participants": answer(2500, evidence: "About 2,500 people joined the march"),
            "violence": answer(false, evidence: "The protest was peaceful."),
            "injuries": answer(nil),
            "organizers": answer(["FENPROF", "Estudantes Unidos"], evidence: "the teachers' union FENPROF"),
        ]
    }
}
