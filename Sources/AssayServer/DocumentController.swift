import AssayCore
import AssayIngest
import AssayService
import Foundation
import Hummingbird

/// Documents: upload several files at once (multipart), list with status, list duplicates, get
/// with text and metadata, delete.
struct DocumentController {
    let documents: Documents
    let projects: Projects
    let maxUploadBytes: Int
    let maxFileBytes: Int

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/projects/:id/documents") { request, context in
            let id = try context.parameters.id(what: "project")
            let requester = try context.requireRequester()
            // The project is checked before the body is read: another's project costs no upload.
            try await projects.check(id, for: requester)
            let ocrQuery = try request.queryBool("ocr")
            let policy = try request.duplicatePolicy()
            let form = try await MultipartUpload.form(in: request, limit: maxUploadBytes, fileLimit: maxFileBytes)
            // OCR of PDFs when asked, by the `ocr` query parameter or form field.
            var ocr = ocrQuery ?? false
            if ocrQuery == nil, let value = form.fields["ocr"] {
                guard let flag = Request.flag(value) else { throw APIProblem.invalid("ocr", "must be true or false") }
                ocr = flag
            }
            let results = try await documents.upload(
                form.files, options: IngestOptions(maxFileBytes: maxFileBytes, ocr: ocr), duplicates: policy,
                projectID: id, for: requester)
            return JSONResponse(ListDTO(items: results.map(UploadDTO.init)), status: .created)
        }
        group.get("/projects/:id/documents") { request, context in
            let status = try request.queryEnum("status", as: DocumentStatus.self)
            let listed = try await documents.list(
                projectID: try context.parameters.id(what: "project"), status: status,
                for: try context.requireRequester())
            return JSONResponse(ListDTO(items: listed.map { DocumentDTO($0.document, outcome: $0.outcome?.outcome) }))
        }
        group.get("/projects/:id/documents/duplicates") { request, context in
            let found = try await documents.duplicates(
                projectID: try context.parameters.id(what: "project"),
                threshold: try request.queryDouble("threshold") ?? DuplicatePolicy.defaultThreshold,
                for: try context.requireRequester())
            return JSONResponse(ListDTO(items: found.map(DuplicateDTO.init)))
        }
        group.get("/documents/:id") { _, context in
            let found = try await documents.get(try context.parameters.id(what: "document"), for: try context.requireRequester())
            return JSONResponse(DocumentDTO(found.document, full: true, outcome: found.outcome?.outcome))
        }
        group.delete("/documents/:id") { _, context in
            try await documents.delete(try context.parameters.id(what: "document"), for: try context.requireRequester())
            return Response(status: .noContent)
        }
    }
}

extension Request {
    /// `skip_duplicates` and `duplicate_threshold` of an upload.
    fileprivate func duplicatePolicy() throws -> DuplicatePolicy {
        DuplicatePolicy(
            threshold: try queryDouble("duplicate_threshold") ?? DuplicatePolicy.defaultThreshold,
            skip: try queryBool("skip_duplicates") ?? false)
    }
}
