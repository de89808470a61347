import ArgumentParser
import AssayCore
import AssayEngine
import AssayProviders
import AssayService
import AssayStore
import Foundation

/// `assay refine`: better instructions for a variable from the feedback on its values.
struct RefineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refine",
        abstract: "Ask the model for better instructions for a variable from its feedback; adopt one; score the result.",
        discussion: """
            From the verdicts people gave on the variable's values (assay feedback, or the review \
            queue), the model proposes two or three improved instructions, each with its reasoning \
            and a word diff against today's ([-removed-] {+added+}). Nothing changes until you adopt \
            one: on a terminal you are asked which; --adopt N adopts the Nth proposal, and \
            --instructions TEXT adopts your own text without asking the model. Adopting makes a new \
            codebook version. Then code the reviewed documents again (the command is printed) and \
            compare with --score: how many of the reviewers' answers the values matched before and \
            match now.

            Examples:
              assay refine participants
              assay refine participants --adopt 2
              assay refine participants --instructions "Count people at the event, not estimates of supporters."
              assay refine --score
            """)

    @Argument(help: "The variable to refine (any, with --score).") var variable: String?
    @Option(help: ArgumentHelp("Adopt the Nth proposal.", valueName: "n")) var adopt: Int?
    @Option(help: ArgumentHelp("Adopt these instructions (yours) without asking the model.", valueName: "text"))
    var instructions: String?
    @Flag(help: "Print, per variable, how many reviewed values matched the reviewers' answers before and match now.")
    var score = false
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if score { return }
        guard variable != nil else { throw ValidationError("name the variable to refine (or pass --score)") }
        if adopt != nil, instructions != nil { throw ValidationError("use --adopt or --instructions, not both") }
        if let adopt, !(1...3).contains(adopt) { throw ValidationError("--adopt takes 1, 2 or 3") }
    }

    func run() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        if score { return try await printScore(local, project) }
        guard let variable else { return }
        if let instructions {
            let version = try await Refinements(store: local.store)
                .adopt(instructions: instructions, variable: variable, projectID: project.id, for: .local)
            return try await adopted(version, local, project, variable)
        }
        let config = try RunConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        let provider = config.guards.wrap(try await RunCommand.reachable(config))
        let refinements = Refinements(store: local.store, provider: provider)
        printError("Asking \(provider.model) for better instructions for '\(variable)' from its feedback …")
        let proposals = try await refinements.propose(variable: variable, projectID: project.id, for: .local)
        print("Now (codebook v\(proposals.codebookVersion)): \(proposals.current)\n")
        for (i, proposal) in proposals.proposals.enumerated() {
            print("\(i + 1). \(proposal.instructions)")
            if !proposal.reasoning.isEmpty { print("   Why: \(proposal.reasoning)") }
            print("   Diff: \(WordDiff.text(from: proposals.current, to: proposal.instructions))\n")
        }
        print("(\(proposals.model), \(proposals.promptVersion), from \(proposals.examples) reviewed values)")
        var choice = adopt
        if choice == nil, Terminal.stdinIsTTY {
            FileHandle.standardError.write(Data("Adopt which (1-\(proposals.proposals.count), Enter for none)? ".utf8))
            choice = readLine().flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        guard let choice else {
            return print("Nothing adopted. Adopt one with: assay refine \(variable) --instructions \"…\" (copy it, edit it if you like)")
        }
        guard proposals.proposals.indices.contains(choice - 1) else {
            throw CLIError("there are \(proposals.proposals.count) proposals; nothing adopted")
        }
        let version = try await refinements.adopt(
            instructions: proposals.proposals[choice - 1].instructions, variable: variable, projectID: project.id, for: .local)
        try await adopted(version, local, project, variable)
    }

    private func adopted(_ version: CodebookVersion, _ local: Local, _ project: Project, _ variable: String) async throws {
        print("Adopted: codebook v\(version.version).")
        let reviewed = Set(try await local.store.feedback(projectID: project.id, variable: variable).map(\.documentID)).sorted()
        guard !reviewed.isEmpty else { return }
        print("Next: code the reviewed documents again, then compare:")
        print("  assay run --documents \(reviewed.map(String.init).joined(separator: ","))")
        print("  assay refine --score")
    }

    private func printScore(_ local: Local, _ project: Project) async throws {
        let scores = try await Refinements(store: local.store)
            .score(projectID: project.id, variable: variable, for: .local)
        guard !scores.isEmpty else { return print("No feedback with an answer yet: judge some values with assay feedback.") }
        var rows = [["VARIABLE", "REVIEWED", "RIGHT BEFORE", "RIGHT NOW", "CODED AGAIN"]]
        for s in scores { rows.append([s.variable, "\(s.reviewed)", "\(s.before)", "\(s.now)", "\(s.recoded)"]) }
        print(Table.render(rows))
    }
}
