import InMemoryTracing
import Tracing

/// A tracer for one test: it keeps the spans (swift-distributed-tracing's `InMemoryTracer`) and
/// propagates as the OpenTelemetry exporter does, with a W3C `traceparent` header, so a test can
/// follow a trace from the job to the HTTP request the model server received. Passed to the
/// engine and the provider explicitly: the process's tracer (`InstrumentationSystem`) is set once
/// per process and tests run side by side.
package struct RecordingTracer: Tracer {
    package let memory = InMemoryTracer()

    package init() {}

    package var finishedSpans: [FinishedInMemorySpan] { memory.finishedSpans }

    package func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> InMemorySpan {
        memory.startSpan(operationName, context: context(), ofKind: kind, at: instant(), function: function, file: fileID, line: line)
    }

    package func forceFlush() { memory.forceFlush() }

    package func inject<Carrier, Inject: Injector>(
        _ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject
    ) where Carrier == Inject.Carrier {
        guard let span = context.inMemorySpanContext else { return }
        injector.inject(Self.traceparent(traceID: span.traceID, spanID: span.spanID), forKey: "traceparent", into: &carrier)
    }

    package func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract
    ) where Carrier == Extract.Carrier {}

    /// The W3C header for a span: version, trace id (32 hex digits), span id (16), sampled.
    /// The in-memory ids ("trace-1", "span-3") keep their numbers, zero-padded.
    package static func traceparent(traceID: String, spanID: String) -> String {
        "00-\(hex(traceID, width: 32))-\(hex(spanID, width: 16))-01"
    }

    static func hex(_ id: String, width: Int) -> String {
        let digits = String(id.filter(\.isNumber))
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension FinishedInMemorySpan {
    /// Every attribute's value as text, to check none carries what must not leave the machine.
    package var attributeTexts: [String] {
        var texts: [String] = []
        // SpanAttributes is no Sequence: forEach is all it offers.
        // swift-format-ignore: ReplaceForEachWithForLoop
        attributes.forEach { key, value in texts.append("\(key)=\(value)") }
        return texts
    }
}
