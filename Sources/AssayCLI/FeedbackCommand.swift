import ArgumentParser
import AssayCore
import AssayService
import AssayStore
import Foundation

/// `assay feedback`: a verdict on one value from the command line, or the verdicts given so far.
struct FeedbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Judge a value (correct, incorrect or partly, with the right value and a note), or list the verdicts.",
        discussion: """
            The same feedback the review queue in the browser records. A value that is not correct \
            needs the right one (--value, read in the variable's type: "about 2,500" is 2500) or a \
            note. Verdicts stay with the document and variable when it is coded again, so \
            assay refine learns from them and assay refine --score counts how many the new values \
            match.

            Examples:
              assay feedback 01.txt participants --correct
              assay feedback 01.txt participants --incorrect --value 350 --note "the article says 350, not 35"
              assay feedback --list --variable participants
            """)

    @Argument(help: "The document (id, path or a unique end of it).") var document: String?
    @Argument(help: "The variable.") var variable: String?
    @Flag(help: "The value is right.") var correct = false
    @Flag(help: "The value is wrong.") var incorrect = false
    @Flag(help: "The value is partly right.") var partly = false
    @Option(help: ArgumentHelp("What the value should be.", valueName: "value")) var value: String?
    @Option(help: ArgumentHelp("Why, in a sentence.", valueName: "text")) var note: String?
    @Flag(help: "List the verdicts given so far (with --variable, on one variable).") var list = false
    @Option(name: .customLong("variable"), help: "With --list: only this variable.") var listVariable: String?
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if list { return }
        guard document != nil, variable != nil else { throw ValidationError("name the document and the variable (or pass --list)") }
        guard [correct, incorrect, partly].filter({ $0 }).count == 1 else {
            throw ValidationError("give one verdict: --correct, --incorrect or --partly")
        }
        if correct, value != nil { throw ValidationError("a correct value needs no --value") }
    }

    func run() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        let reviews = Reviews(store: local.store)
        if list {
            let items = try await reviews.list(projectID: project.id, variable: listVariable, for: .local)
            guard !items.isEmpty else { return print("No feedback yet. Give some with: assay feedback DOC VARIABLE --correct") }
            var rows = [["DOCUMENT", "VARIABLE", "REVIEWED", "VERDICT", "SHOULD BE", "NOTE"]]
            let names = Dictionary(try await local.store.documents(ids: Array(Set(items.map(\.documentID)))).map { ($0.id, $0.externalID) })
            {
                first, _ in first
            }
            for f in items {
                rows.append([
                    names[f.documentID] ?? "#\(f.documentID)", f.variable ?? "", f.reviewedValue?.displayText ?? "",
                    f.verdict.words, f.correctedValue?.displayText ?? "", f.note ?? "",
                ])
            }
            return print(Table.render(rows))
        }
        guard let document, let variable else { return }
        let doc = try await local.documents.find(document, projectID: project.id, for: .local)
        guard
            let value = try await local.store.extractions(projectID: project.id, documentID: doc.id).first(where: {
                $0.variable == variable
            })
        else {
            throw CLIError("\(doc.externalID) has no value for '\(variable)' yet; see its values with: assay show \(document)")
        }
        let verdict: FeedbackVerdict = correct ? .correct : incorrect ? .incorrect : .partiallyCorrect
        let saved = try await reviews.give(
            verdict, correctedValue: self.value.map { .string($0) }, note: note, extractionID: value.id, for: .local)
        let should = saved.correctedValue.map { "; should be \($0.displayText)" } ?? ""
        print(
            "Recorded: \(variable) of \(doc.externalID) (\(value.value.isNull ? "(none)" : value.value.displayText)) is \(verdict.words)\(should)."
        )
    }
}
