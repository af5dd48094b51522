// swift-tools-version:6.1
import PackageDescription

// One package, one responsibility per target (see docs/DESIGN.md in the shared folder).
let package = Package(
    name: "payrecon",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "payrecon", targets: ["payrecon"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already built through AsyncHTTPClient (swift-certificates); named for HMAC-SHA256 of webhook signatures.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // Already resolved through Hummingbird; named so the sandbox can shut its server down gracefully.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The marketplace's own ledger database (a ledger source), on the NIO that AsyncHTTPClient already builds.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already built for postgres-nio and AsyncHTTPClient; named for the ledger database's TLS settings.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // The nightly job's YAML config file, environment variables over it (already built through Hummingbird; the
        // YAML trait adds Yams, which the config check also reads directly for each key's line and column).
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The nightly job's metrics in Prometheus' text format, for node_exporter's textfile collector.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The domain: money, currencies, ids, Stripe and ledger records, periods, diagnostics.
        .target(name: "Core"),
        // The matching engine's compact form of a period: interned ids, fact arrays, match lists, parallel helpers.
        .target(name: "Facts", dependencies: ["Core"]),
        .target(
            name: "Store",
            dependencies: [
                "Core", "Facts", .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API for the few hot loops that bypass GRDB's per-row arguments (MatchWriter, FactLoader).
                .product(name: "GRDBSQLite", package: "GRDB.swift"), "CMalloc",
            ]),
        .target(
            name: "StripeAPI",
            dependencies: [
                "Core",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // A PostgreSQL connection string read as libpq reads it (sslmode, sslrootcert): the ledger source's and serve's.
        .target(
            name: "PostgresAccess",
            dependencies: [.product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl")]),
        .target(
            name: "Extract",
            dependencies: [
                "Core", "Store", "StripeAPI", "PostgresAccess", .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The rules only: facts in, matches and discrepancies out. No Store, no GRDB.
        .target(name: "Reconcile", dependencies: ["Core", "Facts"]),
        // The payments companion's tables (quotes, orders, refunds, documents, inbox, outbox) behind a protocol.
        .target(name: "PaymentsStore", dependencies: ["Core", "Store", .product(name: "GRDB", package: "GRDB.swift")]),
        // The same tables in PostgreSQL, for serve as several replicas (`postgres_url_env`).
        .target(
            name: "PaymentsPostgres",
            dependencies: [
                "Core", "PaymentsStore", "PostgresAccess", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .target(name: "Report", dependencies: ["Core", "Store", "CXlsxWriter", .product(name: "Crypto", package: "swift-crypto")]),
        .systemLibrary(name: "CHaru", providers: [.apt(["libhpdf-dev"])]),
        // glibc's malloc_trim (the fact loader hands freed staging memory back to the system).
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The payments companion: quotes → PaymentIntents, refunds, the webhook inbox, invoices (libharu),
        // email (libcurl SMTP), supplier notifications, and the Hummingbird app that serves them.
        .target(
            name: "Payments",
            dependencies: [
                "Core", "PaymentsStore", "StripeAPI", "CHaru", "CCurl",
                .product(name: "Hummingbird", package: "hummingbird"),
                // NIOSSL is already built for AsyncHTTPClient: native TLS costs no new package.
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The synthetic account itself (no server), so benchmarks can build it without Hummingbird.
        .target(name: "SandboxData", dependencies: ["Core"]),
        .target(
            name: "Sandbox",
            dependencies: [
                "Core", "StripeAPI", "SandboxData",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // Every stage as start run → load → pure step → save → finish or fail, recorded one way.
        // The nightly run (its config, lock, notifications, metrics and retention) is here too.
        .target(
            name: "Stages",
            dependencies: [
                "Core", "Facts", "Store", "StripeAPI", "Extract", "Reconcile", "Report", "Payments", "PaymentsPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        .target(
            name: "PayreconCLI",
            dependencies: [
                "Core", "Store", "PaymentsStore", "PaymentsPostgres", "StripeAPI", "Extract", "Reconcile", "Report", "Payments", "Sandbox",
                "SandboxData", "Stages", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(name: "payrecon", dependencies: ["PayreconCLI", "Payments", "Stages", .product(name: "Logging", package: "swift-log")]),
        // `make bench`: builds a large store from the synthetic account, then times the reconcile stage.
        .executableTarget(
            name: "reconcile-bench",
            dependencies: [
                "Core", "Facts", "Store", "Reconcile", "Stages", "SandboxData",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/ReconcileBenchmark"),
        // `make bench-ledger`: the sandbox's ledger CSV imported as `payrecon ledger import` does; time and peak RSS.
        .executableTarget(
            name: "ledger-bench", dependencies: ["Core", "Extract", "SandboxData", "Stages", "Store"], path: "Benchmarks/LedgerBenchmark"),
        // `make bench-webhooks`: signed events posted concurrently to the webhook endpoint; events/s and p99.
        .executableTarget(
            name: "webhook-bench",
            dependencies: [
                "Core", "Store", "PaymentsStore", "PaymentsPostgres", "StripeAPI", "Payments", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ], path: "Benchmarks/WebhookBenchmark"),

        // Helpers that several test targets share (workbook inspection through openpyxl, the built binary).
        .target(name: "TestSupport", dependencies: ["Core", "Payments", "PaymentsStore"], path: "Tests/TestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "FactsTests", dependencies: ["Core", "Facts"]),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Core", "Facts", "Store", "SandboxData", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "StripeAPITests", dependencies: ["Core", "StripeAPI", "Sandbox", "SandboxData", "TestSupport"]),
        .testTarget(
            name: "ExtractTests",
            dependencies: ["Core", "Facts", "Store", "StripeAPI", "Extract", "Reconcile", "Sandbox", "SandboxData", "TestSupport"]),
        // Pure: builds neither Store nor GRDB.
        .testTarget(name: "ReconcileTests", dependencies: ["Core", "Facts", "Reconcile"]),
        .testTarget(name: "StagesTests", dependencies: ["Core", "Extract", "Store", "Stages", "Payments", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Core", "Store", "Report", "TestSupport"]),
        .testTarget(
            name: "PaymentsTests",
            dependencies: [
                "Core", "Store", "PaymentsStore", "PaymentsPostgres", "StripeAPI", "Extract", "Payments", "Reconcile", "Stages",
                "TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "SandboxTests", dependencies: ["Core", "Sandbox", "SandboxData", "StripeAPI"]),
        .testTarget(
            name: "PayreconCLITests",
            dependencies: [
                "PayreconCLI", "Core", "Facts", "Store", "PaymentsStore", "PaymentsPostgres", "Sandbox", "SandboxData", "Extract", "Reconcile",
                "Report", "StripeAPI",
                "Payments", "Stages", "TestSupport",
            ]),
    ]
)
