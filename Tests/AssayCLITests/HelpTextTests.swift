import ArgumentParser
import Testing

@testable import AssayCLI

/// `--help` reads as paragraphs at 80 columns. The discussions used to be hard-wrapped at ~100
/// characters in the source, so every prose line broke twice in a terminal ("numbers; poppler's" /
/// "pdftotext), ..."); prose must be one line in the string, wrapped by the parser.
@Suite struct HelpTextTests {
    static func commands(_ root: any ParsableCommand.Type = AssayCommand.self) -> [any ParsableCommand.Type] {
        [root] + root.configuration.subcommands.flatMap { commands($0) }
    }

    @Test func proseIsWrappedAsParagraphs() {
        for command in Self.commands() {
            let lines = AssayCommand.helpMessage(for: command, columns: 80).split(separator: "\n", omittingEmptySubsequences: false)
            for (line, next) in zip(lines, lines.dropFirst()) {
                guard !line.isEmpty, !next.isEmpty, line.first != " ", next.first != " ", !line.hasSuffix(":"),
                    let word = next.split(separator: " ").first
                else { continue }
                #expect(line.count + 1 + word.count > 79, "\(command._commandName): '\(line)' could hold '\(word)'")
            }
        }
    }
}
