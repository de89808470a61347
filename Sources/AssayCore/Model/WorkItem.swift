/// A document a job will code, without its text or even its name: 16 bytes. Jobs plan with
/// these, so a job over a million documents holds ~16 MB of plan whatever the documents' names
/// (file paths run to a hundred bytes and more); each text, and the name progress shows, is read
/// from the store when its request goes out.
public struct WorkItem: Sendable, Hashable {
    public var documentID: Int64
    /// The text's length in Unicode scalars: what token estimates count.
    public var characters: Int

    public init(documentID: Int64, characters: Int) {
        self.documentID = documentID
        self.characters = characters
    }

    public init(_ document: Document) {
        self.init(documentID: document.id, characters: document.text.unicodeScalars.count)
    }
}
