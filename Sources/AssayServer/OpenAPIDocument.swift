// The OpenAPI description of the whole API, served at /openapi.json. The one copy is
// Resources/openapi.json (docs/openapi.json is a link to it), compiled into the binary by SwiftPM's
// embedInCode so an `assay` copied on its own still serves it. OpenAPITests check it against the
// router's routes and the response types' JSON.
package enum OpenAPIDocument {
    package static var bytes: [UInt8] { PackageResources.openapi_json }
    package static var json: String { String(decoding: bytes, as: UTF8.self) }
}
