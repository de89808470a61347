import ArgumentParser
import AssayCore
import AssayEngine
import AssayProviders
import AssayService
import AssayStore
import Foundation

/// `assay suggest`: the co-pilot — variables and clearer instructions from a research question and
/// a few documents; adopt the ones you want.
struct SuggestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Ask the model to suggest variables and clearer instructions for the codebook; adopt the ones you want.",
        discussion: """
            From a sentence about your research question, a few of the project's documents (--documents, \
            or --sample N drawn over the project, 3 by default, at most 5, each cut to 3,000 characters) \
            and the codebook so far, the model suggests new variables (type, definition, instructions, \
            categories) and clearer instructions for the variables you have. They are numbered and kept \
            with the model and prompt version; nothing changes until you adopt some: --adopt 1,3 adopts \
            those of the latest suggestions (without asking the model again), as one new codebook version.

            Examples:
              assay suggest "How do newspapers frame protest policing?"
              assay suggest "Who organises the protests?" --documents a.txt,b.txt
              assay suggest --adopt 1,3
            """)

    @Argument(help: "A sentence about the research question (leave out with --adopt to adopt from the latest suggestions).")
    var question: String?
    @Option(help: ArgumentHelp("Documents to show the model, by name or id, comma-separated (at most 5).", valueName: "names"))
    var documents: String?
    @Option(help: ArgumentHelp("How many documents to draw when none are named (1-5).", valueName: "n")) var sample: Int?
    @Option(help: ArgumentHelp("Adopt these suggestions by number, comma-separated.", valueName: "n[,m]")) var adopt: String?
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if question == nil, adopt == nil { throw ValidationError("give the research question in a sentence, or --adopt N[,M]") }
        if let sample, !(1...SuggestionPrompt.maxDocuments).contains(sample) {
            throw ValidationError("--sample takes 1 to \(SuggestionPrompt.maxDocuments)")
        }
        if let adopt, numbers(adopt) == nil { throw ValidationError("--adopt takes numbers separated by commas, e.g. 1,3") }
    }

    private func numbers(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return parts.compactMap { $0 }
    }

    func run() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        if let question {
            let config = try RunConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
            let provider = config.guards.wrap(try await RunCommand.reachable(config))
            var ids: [Int64] = []
            for name in (documents ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                ids.append(try await Documents(store: local.store).find(name, projectID: project.id, for: .local).id)
            }
            printError("Asking \(provider.model) for suggestions …")
            let suggested = try await Suggestions(store: local.store, provider: provider).suggest(
                question: question, documents: ids, sample: sample, projectID: project.id, for: .local)
            render(suggested)
        }
        guard let adopt, let chosen = numbers(adopt) else {
            return print("Nothing adopted. Adopt some with: assay suggest --adopt 1,3")
        }
        let version = try await Suggestions(store: local.store).adopt(chosen, projectID: project.id, for: .local)
        print("Adopted \(chosen.map(String.init).joined(separator: ", ")): codebook v\(version.version).")
    }

    private func render(_ suggested: Suggestions.Suggested) {
        let reply = suggested.reply
        var number = 0
        if !reply.variables.isEmpty { print("New variables:") }
        for variable in reply.variables {
            number += 1
            print("\(number). \(variable.name) (\(variable.type.rawValue))")
            if let definition = variable.definition { print("   Definition: \(definition)") }
            if !variable.instructions.isEmpty { print("   Instructions: \(variable.instructions)") }
            for category in variable.categories {
                print("   - \(category.code)\(category.description.map { ": \($0)" } ?? "")")
            }
        }
        if !reply.clarifications.isEmpty { print("Clearer instructions:") }
        for clarification in reply.clarifications {
            number += 1
            print("\(number). \(clarification.variable): \(clarification.instructions)")
            if !clarification.reasoning.isEmpty { print("   Why: \(clarification.reasoning)") }
        }
        let shown = suggested.documents.isEmpty ? "" : ", from \(suggested.documents.joined(separator: ", "))"
        print("(\(suggested.set.model), \(suggested.set.promptVersion)\(shown))")
    }
}
