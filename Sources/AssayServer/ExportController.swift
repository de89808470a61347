import AssayCore
import AssayExport
import AssayService
import Foundation
import Hummingbird
import NIOCore

/// Dataset downloads: CSV wide or long, JSONL, Excel, REFI-QDA, SPSS, Stata — the same writers as `assay export`.
struct ExportController {
    let values: Values

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:id/export") { request, context in
            let id = try context.parameters.id(what: "project")
            let format = try request.queryEnum("format", as: ExportFormat.self) ?? .csv
            let layout = try request.queryEnum("layout", as: ExportLayout.self) ?? .wide
            let dataset = try await values.dataset(projectID: id, for: try context.requireRequester())
            let bytes = try DatasetExporter.data(
                dataset, format: format, layout: layout,
                columns: [.confidence, .status, .codebookVersion])
            let name = "project-\(id)-\(format == .csv ? layout.rawValue : "values").\(format.fileExtension)"
            return Response(
                status: .ok, headers: [.contentType: format.mediaType, .contentDisposition: "attachment; filename=\"\(name)\""],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
