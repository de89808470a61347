import AssayCore
import AssayIngest
import AssayTestSupport
import Foundation
import Testing

/// Codebooks that would take unbounded memory or time to read: YAML alias bombs, deep nesting,
/// oversized files. Each is refused before anything is built, so the tests count, never time.
@Suite struct CodebookLimitsTests {
    /// `levels` anchors, each a list of nine aliases to the one before: 9^levels values in a few hundred bytes.
    static func aliasBomb(levels: Int, asKeys: Bool = false) -> String {
        let names = (0..<levels).map { "l\($0)" }
        var lines = ["\(names[0]): &\(names[0]) [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
        for (previous, name) in zip(names, names.dropFirst()) {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
        }
        // As a mapping key, an alias is hashed in full by Yams' duplicate-key check while it composes.
        lines.append(asKeys ? "variables: {? *\(names.last!) : x, ? *\(names[0]) : y}" : "variables: *\(names.last!)")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func anAliasBombIsRefusedNamingTheAlias() throws {
        let bomb = Self.aliasBomb(levels: 9)
        #expect(bomb.utf8.count < 450)
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(bomb, format: .yaml) }
        guard case .tooLarge(let message, _)? = error else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
        #expect(message.contains("past 200000 values"), "\(message)")
        #expect(message.contains("alias *l"), "\(message)")
        #expect(message.contains("line"), "\(message)")
    }

    @Test func aliasesUsedAsKeysAreCountedToo() {
        let error = #expect(throws: CodebookLoadError.self) {
            try CodebookLoader.decode(Self.aliasBomb(levels: 8, asKeys: true), format: .yaml)
        }
        #expect(error?.description.contains("too large") == true, "\(String(describing: error))")
    }

    @Test func theLimitCountsExpandedValuesExactly() throws {
        // The root mapping (1); l0 with its list of 9 (1 + 10); l1 with 9 copies of that list (1 + 1 + 90);
        // l2 with 9 copies of l1's (1 + 1 + 819); variables with one more copy of l2's (1 + 820): 1746.
        let bomb = Self.aliasBomb(levels: 3)
        let error = #expect(throws: CodebookLoadError.self) {
            try CodebookLoader.decode(bomb, format: .yaml, limits: YAMLLimits(maxValues: 1745))
        }
        #expect(error?.description.contains("past 1745 values") == true, "\(String(describing: error))")
        // At exactly the limit the text gets as far as the codebook check (its variables are not variables).
        let atLimit = #expect(throws: CodebookLoadError.self) {
            try CodebookLoader.decode(bomb, format: .yaml, limits: YAMLLimits(maxValues: 1746))
        }
        if case .tooLarge? = atLimit { Issue.record("refused at the limit: \(String(describing: atLimit))") }
    }

    @Test func aFewAliasesForSharedCategoriesStillLoad() throws {
        let yaml = """
            variables:
              - name: first_actor
                type: category
                categories: &actors [union, students, government]
              - name: second_actor
                type: category
                categories: *actors
            """
        let codebook = try CodebookLoader.decode(yaml, format: .yaml)
        #expect(codebook.variables.map(\.categories.count) == [3, 3])
    }

    @Test func aliasesOfLongTextAreCountedByTheirText() {
        let long = String(repeating: "x", count: 1000)
        let yaml = "a: &a \(long)\nvariables: [" + Array(repeating: "*a", count: 200).joined(separator: ",") + "]\n"
        let error = #expect(throws: CodebookLoadError.self) {
            try CodebookLoader.decode(yaml, format: .yaml, limits: YAMLLimits(maxTextBytes: 100_000))
        }
        #expect(error?.description.contains("of text") == true, "\(String(describing: error))")
    }

    @Test func deepNestingIsRefusedWithItsLine() {
        let deep = "variables: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n"
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(deep, format: .yaml) }
        #expect(error?.description.contains("nest more than 64 deep at line 1") == true, "\(String(describing: error))")
        // Nesting reached through an alias counts as well.
        let nested = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let viaAlias = "a: &a \(nested)\nvariables: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
        let aliasError = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(viaAlias, format: .yaml) }
        #expect(aliasError?.description.contains("through the alias *a") == true, "\(String(describing: aliasError))")
    }

    @Test func oversizedTextAndFilesAreRefusedBeforeReading() throws {
        let limits = YAMLLimits(maxBytes: 1000)
        let text = "variables:\n" + String(repeating: "  # padding\n", count: 100)
        for format in CodebookFormat.allCases {
            let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(text, format: format, limits: limits) }
            #expect(error?.description.contains("over the 1000 bytes limit") == true, "\(String(describing: error))")
        }
        let folder = try TempFolder("ingest")
        let file = try folder.write("big.yaml", text)
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.load(contentsOf: file, limits: limits) }
        #expect(error?.description.contains("big.yaml is too large: the file is") == true, "\(String(describing: error))")
    }

    @Test func syntaxErrorsKeepTheirMessages() {
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode("variables: [a, *missing]\n", format: .yaml) }
        guard case .syntax(let message, _)? = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("undefined alias"), "\(message)")
    }
}
