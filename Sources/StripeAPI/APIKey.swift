import Foundation

/// A Stripe secret key. It comes from the environment or a file, never from argv, and it
/// never prints: its description is redacted, so it cannot reach a log line or an error.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let secret: String

    public init(_ secret: String) throws(APIKeyError) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw APIKeyError(description: "the Stripe API key is empty") }
        guard trimmed.hasPrefix("sk_") || trimmed.hasPrefix("rk_") else {
            throw APIKeyError(description: "the Stripe API key does not start with sk_ or rk_ (is it a publishable key?)")
        }
        self.secret = trimmed
    }

    /// STRIPE_API_KEY, or the file named by STRIPE_API_KEY_FILE.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(APIKeyError) -> APIKey {
        if let value = environment["STRIPE_API_KEY"] { return try APIKey(value) }
        if let path = environment["STRIPE_API_KEY_FILE"] { return try fromFile(path, named: "STRIPE_API_KEY_FILE") }
        throw APIKeyError(description: "set STRIPE_API_KEY (or STRIPE_API_KEY_FILE) to a Stripe secret key")
    }

    /// The key in a file (a mounted secret); `name` is what the error calls the setting that named it.
    public static func fromFile(_ path: String, named name: String) throws(APIKeyError) -> APIKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw APIKeyError(description: "cannot read \(name) \(path)")
        }
        return try APIKey(text)
    }

    /// Test-mode keys get Stripe's sandbox rate limit.
    public var isTestMode: Bool { secret.contains("_test_") }
    /// A restricted key (rk_): it may lack a permission an endpoint needs.
    public var isRestricted: Bool { secret.hasPrefix("rk_") }
    public var description: String { (isRestricted ? "rk_" : "sk_") + (isTestMode ? "test_<redacted>" : "live_<redacted>") }
    public var debugDescription: String { description }
}

public struct APIKeyError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
}
