import Core
import Foundation
import PaymentsPostgres
import PaymentsStore
import Store
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `payrecon serve` as an operator starts it: configuration file, secrets in the environment.
@Suite struct ServeCommandTests {
    static func configuration(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("payments.json").path
        let text = """
            {"listen": {"host": "127.0.0.1", "port": 0}, "database": "\(folder.path)/pr.sqlite",
             "documents_directory": "\(folder.path)/documents", "https": {"mode": "proxy"},
             "seller": {"name": "Marketplace GmbH", "address": ["Hauptstraße 1"]},
             "email": {"smtp_url": "smtp://127.0.0.1:9", "from": "invoices@marketplace.example"},
             "supplier_notification_url": "http://127.0.0.1:9/notify"}
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let secrets = [
        "STRIPE_API_KEY": "sk_test_serve_cli_secret_value", "STRIPE_WEBHOOK_SECRET": "whsec_cli_secret",
        "PAYRECON_API_TOKEN": "cli-token-0123456789abcdef",
    ]

    @Test func servesBehindAProxyAndStopsOnSIGTERM() async throws {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (process, port) = try PayreconBinary.startServer(["serve", "--config", try Self.configuration(in: folder)], environment: Self.secrets)
        defer { if process.isRunning { process.terminate() } }
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/health")!)
        request.setValue("https", forHTTPHeaderField: "X-Forwarded-Proto")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Strict-Transport-Security") != nil)
        let (_, plain) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!)
        #expect((plain as? HTTPURLResponse)?.statusCode == 403)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func movingToPostgreSQLNeverNumbersAnInvoiceTwice() throws {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let json = try String(contentsOfFile: try Self.configuration(in: folder), encoding: .utf8)
        let config = folder.appendingPathComponent("postgres.json").path
        try json.replacingOccurrences(of: "{\"listen\"", with: "{\"postgres_url_env\": \"PAYMENTS_DATABASE_URL\", \"listen\"")
            .write(toFile: config, atomically: true, encoding: .utf8)
        // The SQLite store serve used until now has issued INV-000001…INV-000003.
        let sqlite = try PayreconStore(path: folder.appendingPathComponent("pr.sqlite").path)
        for _ in 0..<3 { _ = try sqlite.withPaymentsTransaction(at: Timestamp(seconds: 0)) { try $0.nextDocumentNumber(.invoice) } }
        let postgres = try PostgresServer()
        defer { postgres.stop() }
        let (url, database) = try postgres.freshDatabase()
        let environment = Self.secrets.merging(["PAYMENTS_DATABASE_URL": url]) { $1 }
        let refused = try PayreconBinary.run(["serve", "--config", config], environment: environment)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("would number from INV-000001, but"), "\(refused.stderr)")
        #expect(refused.stderr.contains("has issued up to INV-000003 and numbers must not repeat"), "\(refused.stderr)")
        // Continuing the sequence as the message says lets serve start; its next invoice is INV-000004.
        try postgres.psql(
            "INSERT INTO document_sequence (kind, last) VALUES ('invoice', 3) ON CONFLICT (kind) DO UPDATE SET last = EXCLUDED.last",
            database: database)
        let (process, _) = try PayreconBinary.startServer(["serve", "--config", config], environment: environment)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let payments = try PostgresPaymentsStore(url: url, variable: "PAYMENTS_DATABASE_URL")
        defer { payments.shutdown() }
        #expect(try payments.readPayments(at: Timestamp(seconds: 0)) { try $0.peekNextDocumentNumber(.invoice) } == "INV-000004")
    }

    @Test func missingSecretsAndBadConfigurationAreNamedWithoutPrintingSecrets() throws {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = try Self.configuration(in: folder)
        let noWebhookSecret = try PayreconBinary.run(
            ["serve", "--config", config],
            environment: Self.secrets.filter { $0.key != "STRIPE_WEBHOOK_SECRET" })
        #expect(noWebhookSecret.status == 2)
        #expect(noWebhookSecret.stderr.contains("STRIPE_WEBHOOK_SECRET"))
        #expect(!noWebhookSecret.stderr.contains("sk_test_serve_cli_secret_value"))
        #expect(!noWebhookSecret.stderr.contains("cli-token-0123456789abcdef"))

        let broken = folder.appendingPathComponent("broken.json").path
        try Data(#"{"database": "x.sqlite", "documents_directory": "d", "https": {"mode": "tls"}}"#.utf8).write(to: URL(fileURLWithPath: broken))
        let outcome = try PayreconBinary.run(["serve", "--config", broken], environment: Self.secrets)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("broken.json: seller: missing"), "\(outcome.stderr)")
    }
}
