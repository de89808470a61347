import AssayCore
import AssayIngest

/// The small protests project the engine and service tests share: three variables, and short
/// documents whose facts `FakeModel` reads back.
package enum Protests {
    package static let codebook = Codebook(variables: [
        Variable(name: "city", type: .text, instructions: "The city where the protest took place."),
        Variable(name: "participants", type: .number),
        Variable(name: "violence", type: .boolean),
    ])

    /// `codebook` as YAML, the way a user uploads it.
    package static var codebookYAML: String {
        get throws { try CodebookLoader.yaml(codebook) }
    }

    /// Document `i`: a city, a number of people and a peaceful ending, in that order.
    package static func document(_ i: Int) -> String { "Protest in City\(i). About \(i * 100) people came. It was peaceful." }
}
