import AssayCore
import Foundation

/// Which fields of a JSON or JSONL record hold its id, its text and its title.
public struct RecordFields: Sendable, Hashable {
    /// The field whose value makes the record's external id `<file>#<id>`.
    public var id: String
    /// The field holding the text to code; a record without it becomes a failed document.
    public var text: String
    /// The field holding the title, or nil to take the file name.
    public var title: String?

    public init(id: String = "id", text: String = "text", title: String? = "title") {
        self.id = id
        self.text = text
        self.title = title
    }
}
