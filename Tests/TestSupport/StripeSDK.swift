import Foundation

/// Stripe's official Python SDK (scripts/stripe_signature.py) as a reference for webhook signatures.
public enum StripeSDK {
    /// The v1 signature Stripe computes for `payload` at `timestamp` with `secret`.
    public static func signature(payload: Data, secret: String, timestamp: Int64) throws -> String {
        try run("sign", payload: payload, secret: secret, value: String(timestamp))
    }

    /// "ok" when `stripe.Webhook.construct_event` accepts the header; otherwise the SDK's complaint.
    public static func check(payload: Data, secret: String, header: String) throws -> String {
        try run("check", payload: payload, secret: secret, value: header)
    }

    static func run(_ command: String, payload: Data, secret: String, value: String) throws -> String {
        let file = TestScratch.directory.appendingPathComponent("payload-\(UUID().uuidString).json")
        try payload.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try CommandOutput.run([
            "python3", packageRoot.appendingPathComponent("scripts/stripe_signature.py").path, command, file.path,
            secret, value,
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
