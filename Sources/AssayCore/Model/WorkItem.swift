/// A document a job will code, without its text. Jobs plan with these, so a job over millions of
/// documents holds ids and sizes in memory rather than texts; each text is read from the store
/// when its request goes out.
public struct WorkItem: Sendable, Hashable {
    public var documentID: Int64
    public var externalID: String
    /// The text's length in Unicode scalars: what token estimates count.
    public var characters: Int

    public init(documentID: Int64, externalID: String, characters: Int) {
        self.documentID = documentID
        self.externalID = externalID
        self.characters = characters
    }

    public init(_ document: Document) {
        self.init(documentID: document.id, externalID: document.externalID, characters: document.text.unicodeScalars.count)
    }
}
