import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `payrecon sandbox` as a user starts it: files written, a port announced, Stripe answers, SIGTERM stops it.
@Suite struct SandboxCommandTests {
    @Test func servesTheAccountItWroteAndStopsOnSIGTERM() async throws {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-sbx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (process, port) = try PayreconBinary.startServer([
            "sandbox", "--port", "0", "--orders", "120", "--seed", "4",
            "--ledger-out", folder.path + "/ledger.csv", "--truth-out", folder.path + "/truth.json",
        ])
        // Never leave the server behind: it would hold the test runner's pipes open.
        defer { if process.isRunning { process.terminate() } }
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/payouts?limit=3")!)
        request.setValue("Bearer sk_test_cli", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("\"object\":\"list\""))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit || process.terminationStatus == SIGTERM)
        let truth = try String(contentsOfFile: folder.path + "/truth.json", encoding: .utf8)
        #expect(truth.contains("\"first_day\" : \"2026-07-03\""))
        #expect(try String(contentsOfFile: folder.path + "/ledger.csv", encoding: .utf8).hasPrefix("entry_id,order_id,type,amount,currency"))
    }
}
