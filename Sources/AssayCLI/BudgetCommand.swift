import ArgumentParser
import AssayCore
import AssayService
import Foundation

struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Show or set what the project's jobs together may spend, in tokens or dollars.",
        discussion: """
            A project's budget counts every job of the project (re-runs included): when what they \
            spent together reaches it, the running job pauses (requests in flight finish, no new \
            one starts; `assay run` exits with 75) and no new job starts anything. Raise the budget \
            and run again: the documents not yet done are coded, nothing twice. Dollars are at the \
            models' prices (see ASSAY_PRICES), so a dollar budget needs a price for every model. \
            For one run's own limit, use `assay run --max-cost` or `--max-tokens`.

            Examples:
              assay budget                      # the budget and what the project has spent
              assay budget --max-cost 25        # at most $25 for all jobs together
              assay budget --max-tokens 5000000 # and at most 5 million tokens
              assay budget --none               # no limit
            """)

    @Option(help: ArgumentHelp("At most this many US dollars, at the models' prices.", valueName: "dollars"))
    var maxCost: Double?
    @Option(help: ArgumentHelp("At most this many tokens, input and output.", valueName: "n"))
    var maxTokens: Int?
    @Flag(help: "Lift the budget: no limit.") var none = false
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if none && (maxCost != nil || maxTokens != nil) { throw ValidationError("use --none alone, or --max-cost / --max-tokens") }
        if let maxCost { try FlagRanges.check(maxCost, "--max-cost", Budget.costRange) }
        if let maxTokens { try FlagRanges.check(maxTokens, "--max-tokens", Budget.tokenRange) }
    }

    func run() async throws {
        let local = try await options.local()
        var project = try await local.project(options.project)
        if none || maxCost != nil || maxTokens != nil {
            var budget = none ? Budget.none : project.budget
            if let maxCost { budget.maxCost = maxCost }
            if let maxTokens { budget.maxTokens = maxTokens }
            project = try await local.projects.setBudget(project.id, budget, for: .local)
        }
        let spending = try await local.projects.spending(projectID: project.id, for: .local)
        print("Budget of '\(project.name)': \(project.budget.text)")
        let nothing = spending.tokensIn + spending.tokensOut == 0
        print("Spent:     " + (nothing ? "nothing yet" : SpendingText.render(spending)))
        if let reason = project.budget.reached(
            tokens: spending.tokensIn + spending.tokensOut, dollars: spending.cost, whose: "the project's budget")
        {
            print("Reached:   \(reason); jobs pause until it is raised.")
        }
    }
}
