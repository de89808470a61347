import AssayEngine
import Testing

@testable import AssayCLI

/// The engine says what is wrong; the CLI adds the command that helps. Before, the engine's own
/// text told HTTP clients to run `assay codebook import FILE`.
@Suite struct CLIHintTests {
    @Test(arguments: [
        (EngineError.noProject(""), "create one with: assay init --name NAME"),
        (EngineError.noProject("x"), "list them with: assay projects"),
        (EngineError.ambiguousProject(["A", "B"]), "choose one with --project NAME"),
        (EngineError.noCodebook(project: "p"), "import one with: assay codebook import FILE"),
    ])
    func theCLIAddsItsOwnAdvice(_ error: EngineError, _ hint: String) {
        #expect(!error.description.contains("assay "))
        #expect(!error.description.contains("--project"))
        #expect(CLIHint.message(for: error) == error.description + "; " + hint)
    }
}
