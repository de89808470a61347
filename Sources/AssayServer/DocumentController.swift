import AssayCore
import AssayEngine
import AssayIngest
import AssayStore
import Foundation
import Hummingbird

/// Documents: upload several files at once (multipart), list with status, get with text and
/// metadata, delete.
struct DocumentController {
    let workspace: Workspace
    let store: any Store & ReviewStore
    let ownership: Ownership
    let maxUploadBytes: Int
    let maxFileBytes: Int

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/projects/:id/documents") { request, context in
            let project = try await ownership.project(try context.parameters.id(what: "project"), for: try context.requireIdentity())
            let files = try await MultipartUpload.files(in: request, limit: maxUploadBytes, fileLimit: maxFileBytes)
            let results = try await workspace.addUploads(files, options: IngestOptions(maxFileBytes: maxFileBytes), projectID: project.id)
            return JSONResponse(ListDTO(items: results.map { UploadDTO(document: DocumentDTO($0.document), outcome: $0.outcome) }),
                                status: .created)
        }
        group.get("/projects/:id/documents") { request, context in
            let project = try await ownership.project(try context.parameters.id(what: "project"), for: try context.requireIdentity())
            let status = try request.queryEnum("status", as: DocumentStatus.self)
            let outcomes = Dictionary(try await store.outcomes(projectID: project.id).map { ($0.documentID, $0.outcome) }) { $1 }
            let documents = try await store.documents(projectID: project.id, status: status)
            return JSONResponse(ListDTO(items: documents.map { DocumentDTO($0, outcome: outcomes[$0.id]) }))
        }
        group.get("/documents/:id") { _, context in
            let document = try await ownership.document(try context.parameters.id(what: "document"), for: try context.requireIdentity())
            let outcome = try await store.outcomes(projectID: document.projectID).first { $0.documentID == document.id }
            return JSONResponse(DocumentDTO(document, full: true, outcome: outcome?.outcome))
        }
        group.delete("/documents/:id") { _, context in
            let document = try await ownership.document(try context.parameters.id(what: "document"), for: try context.requireIdentity())
            try await store.deleteDocument(id: document.id)
            return Response(status: .noContent)
        }
    }
}
