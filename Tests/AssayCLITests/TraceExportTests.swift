import Testing

@testable import AssayCLI

/// An `assay` built without the OTel trait says once that it exports nothing, when asked to.
@Suite struct TraceExportTests {
    let asked = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"]

    @Test func aBuildWithoutTheExporterSaysHowToGetIt() throws {
        let notice = try #require(TraceExport.notice(asked, command: "run", builtIn: false))
        #expect(notice.contains("swift build --traits OTel"))
        #expect(!notice.contains("\n"))
        #expect(TraceExport.notice(asked, command: "worker", builtIn: false) != nil)
        #expect(TraceExport.notice(asked, command: "serve", builtIn: false) != nil)
    }

    @Test func nothingIsSaidWhenNotAskedOrNotTracedOrBuiltIn() {
        #expect(TraceExport.notice([:], command: "run", builtIn: false) == nil)
        #expect(TraceExport.notice(["OTEL_EXPORTER_OTLP_ENDPOINT": ""], command: "run", builtIn: false) == nil)
        #expect(TraceExport.notice(asked, command: "status", builtIn: false) == nil)
        #expect(TraceExport.notice(asked, command: nil, builtIn: false) == nil)
        #expect(TraceExport.notice(asked, command: "run", builtIn: true) == nil)
    }

    @Test func thisBuildHasNoExporterUnlessTheTraitIsOn() {
        #if OTel
            #expect(TraceExport.isBuiltIn)
        #else
            #expect(!TraceExport.isBuiltIn)
            #expect(TraceExport.start(asked, command: "status") == nil)
        #endif
    }
}
