// swift-tools-version:6.1
import PackageDescription

// Upcoming features Hummingbird uses; they keep imports and existentials explicit.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "assay",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "assay", targets: ["assay"]),
        .executable(name: "assay-bench", targets: ["AssayBench"]),
        .library(name: "AssayCore", targets: ["AssayCore"]),
        .library(name: "AssayEngine", targets: ["AssayEngine"]),
    ],
    // Opt-in: `swift build --traits OTel` adds the OpenTelemetry exporter (swift-otel) to `assay`.
    // Off by default, because swift-otel and its protobuf code add minutes to a first build; the
    // spans themselves (swift-distributed-tracing) are always compiled.
    traits: [.trait(name: "OTel", description: "Export traces over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set")],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.24.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.0"),
        // Only OTLP/HTTP: the gRPC exporter would add grpc-swift to the build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // Pure values and logic, no I/O.
        .target(
            name: "AssayCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AssayProviders",
            dependencies: [
                "AssayCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // libxml2's HTML and XML parsers (Debian libxml2-dev): HTML pages, and the XML inside DOCX/ODT.
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        .target(
            name: "AssayIngest",
            dependencies: [
                "AssayCore", "CLibXML2", .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AssayStore",
            dependencies: [
                "AssayCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AssayEngine",
            dependencies: [
                "AssayCore", "AssayProviders", "AssayIngest", "AssayStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // Failure patterns from traces, as one vertical slice: the trace model, reader, vocabulary
        // and template, the pattern store, and the runner on the engine's pipeline.
        .target(
            name: "AssayTraces",
            dependencies: [
                "AssayCore", "AssayProviders", "AssayIngest", "AssayStore", "AssayEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // ReadStat's C library (Debian libreadstat-dev, which ships no pkg-config file): SPSS and Stata files.
        .systemLibrary(name: "CReadStat", path: "Sources/CReadStat", providers: [.apt(["libreadstat-dev"])]),
        .target(
            name: "AssayExport",
            dependencies: [
                "AssayCore", "AssayStore", "AssayIngest", "CReadStat", .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // The use cases both front ends call (projects, documents, codebooks, jobs, values, feedback,
        // accounts, patterns), with who is asking and errors as cases.
        .target(
            name: "AssayService",
            dependencies: [
                "AssayCore", "AssayProviders", "AssayIngest", "AssayStore", "AssayEngine", "AssayExport", "AssayTraces",
                .product(name: "Logging", package: "swift-log"),
            ],
            // The common-password list, compiled into the binary as bytes (PackageResources).
            resources: [.embedInCode("Resources/common-passwords.txt")],
            swiftSettings: swiftSettings
        ),
        // The HTTP service (`assay serve`): routes translate requests and call the use cases.
        .target(
            name: "AssayServer",
            dependencies: [
                "AssayCore", "AssayProviders", "AssayIngest", "AssayStore", "AssayEngine", "AssayExport", "AssayTraces",
                "AssayService",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            // Compiled into the binary as bytes (PackageResources), so a copied `assay` still has them:
            // the API's description and the workbench's pages, styles and scripts (`Workbench.assets`).
            resources: [.embedInCode("Resources/openapi.json"), .embedInCode("Resources/ui")],
            swiftSettings: swiftSettings
        ),
        // The command-line front end: argument parsing and rendering only.
        .target(
            name: "AssayCLI",
            dependencies: [
                "AssayCore", "AssayProviders", "AssayIngest", "AssayStore", "AssayEngine", "AssayExport", "AssayServer", "AssayTraces",
                "AssayService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["OTel"])),
                .product(name: "OTel", package: "swift-otel", condition: .when(traits: ["OTel"])),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "assay", dependencies: ["AssayCLI"], swiftSettings: swiftSettings),
        // Throughput benchmark with its own mock OpenAI-compatible server (swift run -c release assay-bench).
        .executableTarget(
            name: "AssayBench",
            dependencies: [
                "AssayCore", "AssayProviders", "AssayIngest", "AssayStore", "AssayEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "AssayCoreTests", dependencies: ["AssayCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AssayProvidersTests",
            dependencies: [
                "AssayProviders",
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AssayIngestTests", dependencies: ["AssayIngest"], swiftSettings: swiftSettings),
        .testTarget(name: "AssayStoreTests", dependencies: ["AssayStore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AssayEngineTests",
            dependencies: ["AssayEngine", "AssayExport", .product(name: "InMemoryTracing", package: "swift-distributed-tracing")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AssayTracesTests",
            dependencies: ["AssayTraces", "AssayCore", "AssayIngest", "AssayStore", "AssayEngine", "AssayProviders"],
            swiftSettings: swiftSettings),
        .testTarget(name: "AssayExportTests", dependencies: ["AssayExport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AssayServiceTests",
            dependencies: ["AssayService", "AssayCore", "AssayIngest", "AssayStore", "AssayEngine", "AssayTraces", "AssayProviders"],
            swiftSettings: swiftSettings),
        // The CLI's own checks (flags and environment), parsed as `assay` would, without running anything.
        .testTarget(name: "AssayCLITests", dependencies: ["AssayCLI", "AssayEngine", "AssayProviders"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AssayServerTests",
            dependencies: [
                "AssayServer", "AssayEngine", "AssayStore", "AssayProviders", "AssayTraces", "AssayService",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        // Tests that talk to real servers (llama-server) and run the real CLI.
        .testTarget(
            name: "AssayIntegrationTests",
            dependencies: [
                "AssayCore", "AssayStore", "AssayCLI", "AssayEngine", "AssayExport", "AssayTraces",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// Test support: the fakes, fixtures, stub server, temporary folders and the OpenAPI schema check
// that several test targets share. A regular target (test targets cannot depend on test targets),
// kept under Tests/ because nothing but tests uses it; what it offers is `package`, not public.
package.targets.append(
    .target(
        name: "AssayTestSupport",
        dependencies: [
            "AssayCore", "AssayProviders", "AssayIngest", "AssayStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ],
        path: "Tests/AssayTestSupport",
        swiftSettings: swiftSettings
    ))
let testsUsingSupport: Set = [
    "AssayProvidersTests", "AssayIngestTests", "AssayStoreTests", "AssayEngineTests", "AssayExportTests", "AssayServerTests",
    "AssayTracesTests", "AssayIntegrationTests",
]
for target in package.targets where testsUsingSupport.contains(target.name) {
    target.dependencies.append("AssayTestSupport")
}
