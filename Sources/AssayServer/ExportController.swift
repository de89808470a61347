import AssayCore
import AssayExport
import AssayService
import Foundation
import Hummingbird
import NIOCore

/// Dataset downloads: CSV wide or long, JSONL — the same writers as `assay export`.
struct ExportController {
    let values: Values

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:id/export") { request, context in
            let id = try context.parameters.id(what: "project")
            let format = try request.queryEnum("format", as: ExportFormat.self) ?? .csv
            let layout = try request.queryEnum("layout", as: ExportLayout.self) ?? .wide
            let dataset = try await values.dataset(projectID: id, for: try context.requireRequester())
            let text = try DatasetExporter.render(
                dataset, format: format, layout: layout,
                columns: [.confidence, .status, .codebookVersion])
            let (type, ext) = format == .csv ? ("text/csv; charset=utf-8", "csv") : ("application/x-ndjson", "jsonl")
            let name = "project-\(id)-\(format == .csv ? layout.rawValue : "values").\(ext)"
            return Response(
                status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
