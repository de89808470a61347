/// The OpenAPI description served at `/openapi.json`; generated into this file, checked against the router by a test.
enum OpenAPIDocument {
    static let json = "{}"
}
