import Foundation
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
