import ArgumentParser
import Testing

@testable import AssayCLI

/// `assay suggest`: a question asks the model, `--adopt N[,M]` adopts from the latest suggestions;
/// what cannot be meant is refused before anything opens.
@Suite struct SuggestCommandTests {
    @Test func aQuestionOrSuggestionsToAdoptAreNeeded() throws {
        let asked = try #require(try AssayCommand.parseAsRoot(["suggest", "Who organises?", "--sample", "2"]) as? SuggestCommand)
        #expect(asked.question == "Who organises?" && asked.sample == 2 && asked.adopt == nil)
        let adopting = try #require(try AssayCommand.parseAsRoot(["suggest", "--adopt", "1, 3"]) as? SuggestCommand)
        #expect(adopting.question == nil && adopting.adopt == "1, 3")
        for arguments in [
            ["suggest"], ["suggest", "--adopt", "x"], ["suggest", "--adopt", "0"], ["suggest", "--adopt", ""],
            ["suggest", "Q", "--sample", "6"], ["suggest", "Q", "--sample", "0"],
        ] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try AssayCommand.parseAsRoot(arguments) }
        }
    }
}
