import Foundation
import StripeAPI

/// The payments companion's secrets, from the environment or from files the environment names
/// (never from argv, never from the configuration file, never printed):
/// STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET (several, separated by commas or whitespace, while a
/// secret is rotated), PAYRECON_API_TOKEN (the marketplace backend's bearer token), SMTP_PASSWORD
/// (optional). Each may instead be given as NAME_FILE, a path to a file holding it.
public struct PaymentsSecrets: Sendable, CustomStringConvertible {
    public let apiKey: APIKey
    public let webhookSecrets: [String]
    /// The shared backend token (actor `backend`); nil when only named tokens are configured.
    let apiToken: String?
    let smtpPassword: String?

    /// Signs checkout links (`CheckoutLink`); needed when the configuration has a checkout page.
    public let checkoutSecret: String?

    public init(apiKey: APIKey, webhookSecrets: [String], apiToken: String?, smtpPassword: String? = nil, checkoutSecret: String? = nil) {
        self.apiKey = apiKey; self.webhookSecrets = webhookSecrets; self.apiToken = apiToken; self.smtpPassword = smtpPassword
        self.checkoutSecret = checkoutSecret
    }

    /// `namedTokens`: the configuration has named API tokens, so PAYRECON_API_TOKEN may be left out.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment, namedTokens: Bool = false)
        throws(PaymentsConfigurationError) -> PaymentsSecrets
    {
        let apiKey: APIKey
        do { apiKey = try APIKey.fromEnvironment(environment) } catch { throw PaymentsConfigurationError(description: error.description) }
        guard let secrets = try value("STRIPE_WEBHOOK_SECRET", environment) else {
            throw PaymentsConfigurationError(
                description: "set STRIPE_WEBHOOK_SECRET (or STRIPE_WEBHOOK_SECRET_FILE) to the endpoint's signing secret")
        }
        let list = secrets.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        guard !list.isEmpty, list.allSatisfy({ $0.hasPrefix("whsec_") }) else {
            throw PaymentsConfigurationError(description: "STRIPE_WEBHOOK_SECRET: expected whsec_… secrets separated by commas")
        }
        let token = try value("PAYRECON_API_TOKEN", environment)
        guard token.map({ $0.count >= 16 }) ?? namedTokens else {
            throw PaymentsConfigurationError(
                description:
                    "set PAYRECON_API_TOKEN (or PAYRECON_API_TOKEN_FILE) to a bearer token of at least 16 characters, or name tokens in api_tokens")
        }
        let checkout = try value("PAYRECON_CHECKOUT_SECRET", environment)
        if let checkout, checkout.count < 32 {
            throw PaymentsConfigurationError(description: "PAYRECON_CHECKOUT_SECRET: expected at least 32 characters (it signs checkout links)")
        }
        return PaymentsSecrets(
            apiKey: apiKey, webhookSecrets: list, apiToken: token, smtpPassword: try value("SMTP_PASSWORD", environment), checkoutSecret: checkout)
    }

    static func value(_ name: String, _ environment: [String: String]) throws(PaymentsConfigurationError) -> String? {
        if let value = environment[name] { return value.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let path = environment[name + "_FILE"] else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PaymentsConfigurationError(description: "cannot read \(name)_FILE \(path)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public var description: String { "PaymentsSecrets(<redacted>)" }
}
