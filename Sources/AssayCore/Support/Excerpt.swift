/// Short, redacted excerpts of model replies and documents for error records and messages:
/// never the raw text, at most `limit` characters, every kind of sensitive value masked.
public enum Excerpt {
    public static func redacted(_ text: String, limit: Int = 160) -> String {
        Redactor().excerpt(text, limit: limit)
    }
}
