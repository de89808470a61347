import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayServer

/// The response types, encoded as the service encodes them, against the schemas of the served
/// OpenAPI document: each with every optional field set and with every optional field nil.
@Suite("OpenAPI: the response types match their schemas")
struct OpenAPIResponseTests {
    /// One response type: a value with every optional set, one with none, and where it is described.
    struct ResponseExample: Sendable, CustomTestStringConvertible {
        var schema: String
        var full: any Encodable & Sendable
        var bare: any Encodable & Sendable
        /// Where the schema is shared with request bodies, its `required` list is the requests' one.
        var requiredIsWhatIsAlwaysSent = true
        var testDescription: String { schema }
    }

    static let check = OpenAPISchemaCheck(try! JSONValue.parse(OpenAPIDocument.json))

    static func json(_ value: any Encodable) throws -> JSONValue {
        try JSONValue.parse(String(decoding: try APIJSON.encoder().encode(value), as: UTF8.self))
    }

    @Test(arguments: APIExamples.all)
    func encodesAsItsSchemaSays(_ example: ResponseExample) throws {
        let full = try Self.json(example.full)
        let bare = try Self.json(example.bare)
        #expect(Self.check.problems(full, schema: example.schema) == [])
        #expect(Self.check.problems(bare, schema: example.schema) == [])
        // Every key the full value sends is one the schema declares (the check's strict rule), and
        // what is sent even with every optional nil is exactly what the schema calls required.
        if example.requiredIsWhatIsAlwaysSent {
            let required = Set(Self.check.schema(named: example.schema)?["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            #expect(Set(bare.objectValue?.keys ?? []) == required)
        }
    }

    /// Every schema a route answers with has an example above, so a new one cannot go unchecked.
    @Test func everyResponseSchemaHasAnExample() {
        var answered: Set<String> = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let object):
                if let ref = object["$ref"]?.stringValue, ref.hasPrefix("#/components/schemas/") {
                    answered.insert(String(ref.dropFirst("#/components/schemas/".count)))
                }
                object.values.forEach(collect)
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        for (_, item) in Self.check.document["paths"]?.objectValue ?? [:] {
            for (_, operation) in item.objectValue ?? [:] { collect(operation["responses"] ?? .null) }
        }
        let examples = Set(APIExamples.all.map(\.schema))
        #expect(answered.subtracting(examples).sorted() == [])
    }

    /// List routes wrap items in `{"items": [...]}`: the routes' own schemas, against `ListDTO`.
    @Test(arguments: [
        ("/auth/api-keys", "get", "200"), ("/projects", "get", "200"), ("/projects/{id}/documents", "get", "200"),
        ("/projects/{id}/documents", "post", "201"), ("/projects/{id}/codebook/versions", "get", "200"),
        ("/projects/{id}/codebook/variables", "get", "200"), ("/projects/{id}/jobs", "get", "200"),
        ("/jobs/{id}/events", "get", "200"), ("/projects/{id}/feedback", "get", "200"), ("/failure-patterns/runs", "get", "200"),
    ])
    func listsMatchTheirRoutes(_ route: (path: String, method: String, status: String)) throws {
        let (path, method, status) = route
        let schema = try #require(Self.check.responseSchema(method, path, status: status))
        let items: [any Encodable & Sendable] =
            switch path {
            case "/auth/api-keys": [APIExamples.apiKey]
            case "/projects": [APIExamples.project]
            case "/projects/{id}/documents" where method == "post": [APIExamples.upload]
            case "/projects/{id}/documents": [DocumentDTO(APIExamples.document, outcome: .succeeded)]
            case "/projects/{id}/codebook/versions": [CodebookVersionDTO(APIExamples.version, full: false)]
            case "/projects/{id}/codebook/variables": APIExamples.codebook.variables.map { $0 as any Encodable & Sendable }
            case "/projects/{id}/jobs": [JobDTO(APIExamples.job)]
            case "/jobs/{id}/events": [JobEventDTO(APIExamples.event)]
            case "/failure-patterns/runs": [TraceRunDTO(APIExamples.traceRun)]
            default: [FeedbackDTO(APIExamples.feedback)]
            }
        for item in items {
            let list: JSONValue = ["items": .array([try Self.json(item)])]
            #expect(Self.check.problems(list, against: schema) == [])
        }
    }

    /// The enums the schemas list are the Swift enums' cases, in both directions.
    @Test func enumsMatchTheSwiftEnums() {
        func cases(_ schema: String, _ path: String...) -> [String] {
            var node = Self.check.schema(named: schema)
            for key in path { node = node?[key] }
            return node?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        #expect(cases("Project", "properties", "status") == ProjectStatus.allCases.map(\.rawValue))
        #expect(cases("Project", "properties", "unit") == UnitOfObservation.allCases.map(\.rawValue))
        #expect(cases("Document", "properties", "status") == DocumentStatus.allCases.map(\.rawValue))
        #expect(cases("Document", "properties", "outcome") == DocumentOutcomeKind.allCases.map(\.rawValue))
        #expect(cases("Job", "properties", "kind") == JobKind.allCases.map(\.rawValue))
        #expect(cases("Job", "properties", "status") == JobStatus.allCases.map(\.rawValue))
        #expect(cases("JobUpdate", "properties", "status") == JobStatus.allCases.map(\.rawValue))
        #expect(cases("JobEvent", "properties", "kind") == JobEventKind.allCases.map(\.rawValue))
        #expect(cases("Extraction", "properties", "status") == ExtractionStatus.allCases.map(\.rawValue))
        #expect(cases("Extraction", "properties", "evidence", "properties", "match") == GroundingMatch.allCases.map(\.rawValue))
        #expect(cases("Feedback", "properties", "verdict") == FeedbackVerdict.allCases.map(\.rawValue))
        #expect(cases("FeedbackInput", "properties", "verdict") == FeedbackVerdict.allCases.map(\.rawValue))
        #expect(cases("Variable", "properties", "type") == VariableType.allCases.map(\.rawValue))
        #expect(cases("Variable", "properties", "if_uncertain") == IfUncertain.allCases.map(\.rawValue))
        #expect(cases("Variable", "properties", "if_multiple_values") == IfMultipleValues.allCases.map(\.rawValue))
    }
}
