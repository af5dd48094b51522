import Core
import Foundation

/// `payrecon serve --config FILE`: what the payments companion needs, as JSON. Secrets are not
/// in this file: they come from the environment or from files it names (`PaymentsSecrets`).
public struct PaymentsConfiguration: Sendable, Codable {
    public struct Listen: Sendable, Codable {
        public var host: String = "127.0.0.1"
        public var port: Int = 8443
        public init(host: String = "127.0.0.1", port: Int = 8443) { self.host = host; self.port = port }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            host = try c.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1"
            port = try c.decodeIfPresent(Int.self, forKey: .port) ?? 8443
        }
    }

    /// How HTTPS is enforced: served natively with a certificate, or behind a TLS-terminating
    /// proxy that says so in X-Forwarded-Proto (anything else is refused).
    public struct HTTPS: Sendable, Codable {
        public enum Mode: String, Sendable, Codable { case tls, proxy }
        public var mode: Mode
        public var certificate: String?
        public var privateKey: String?
        public var hstsMaxAgeSeconds: Int = 31_536_000
        public init(mode: Mode, certificate: String? = nil, privateKey: String? = nil) {
            self.mode = mode; self.certificate = certificate; self.privateKey = privateKey
        }
        enum CodingKeys: String, CodingKey {
            case mode, certificate
            case privateKey = "private_key"
            case hstsMaxAgeSeconds = "hsts_max_age_seconds"
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mode = try c.decode(Mode.self, forKey: .mode)
            certificate = try c.decodeIfPresent(String.self, forKey: .certificate)
            privateKey = try c.decodeIfPresent(String.self, forKey: .privateKey)
            hstsMaxAgeSeconds = try c.decodeIfPresent(Int.self, forKey: .hstsMaxAgeSeconds) ?? 31_536_000
        }
    }

    public struct Stripe: Sendable, Codable {
        public var apiBase: String = "https://api.stripe.com"
        /// nil: `automatic_payment_methods[enabled]=true` (cards, wallets, bank methods, as the
        /// Dashboard allows). A list sends `payment_method_types[]` instead (emulators that lack
        /// automatic payment methods, or a deliberately narrower choice).
        public var paymentMethodTypes: [String]?
        public var breakerFailureThreshold: Int = 5
        public var breakerCooldownSeconds: Int = 30
        public init(apiBase: String = "https://api.stripe.com", paymentMethodTypes: [String]? = nil) {
            self.apiBase = apiBase; self.paymentMethodTypes = paymentMethodTypes
        }
        enum CodingKeys: String, CodingKey {
            case apiBase = "api_base"
            case paymentMethodTypes = "payment_method_types"
            case breakerFailureThreshold = "breaker_failure_threshold"
            case breakerCooldownSeconds = "breaker_cooldown_seconds"
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            apiBase = try c.decodeIfPresent(String.self, forKey: .apiBase) ?? "https://api.stripe.com"
            paymentMethodTypes = try c.decodeIfPresent([String].self, forKey: .paymentMethodTypes)
            breakerFailureThreshold = try c.decodeIfPresent(Int.self, forKey: .breakerFailureThreshold) ?? 5
            breakerCooldownSeconds = try c.decodeIfPresent(Int.self, forKey: .breakerCooldownSeconds) ?? 30
        }
    }

    public struct Email: Sendable, Codable {
        public var smtpURL: String
        public var from: String
        public var username: String?
        public var requireTLS: Bool = false
        /// Certificate authorities to trust for the SMTP server instead of the system's (PEM).
        public var caFile: String?
        public init(smtpURL: String, from: String, username: String? = nil, requireTLS: Bool = false, caFile: String? = nil) {
            self.smtpURL = smtpURL; self.from = from; self.username = username; self.requireTLS = requireTLS; self.caFile = caFile
        }
        enum CodingKeys: String, CodingKey {
            case smtpURL = "smtp_url"
            case from, username
            case requireTLS = "require_tls"
            case caFile = "ca_file"
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            smtpURL = try c.decode(String.self, forKey: .smtpURL)
            from = try c.decode(String.self, forKey: .from)
            username = try c.decodeIfPresent(String.self, forKey: .username)
            requireTLS = try c.decodeIfPresent(Bool.self, forKey: .requireTLS) ?? false
            caFile = try c.decodeIfPresent(String.self, forKey: .caFile)
        }
    }

    /// Outbox retries: exponential backoff from `baseDelayMilliseconds`, capped, up to `maxAttempts`.
    public struct Outbox: Sendable, Codable {
        public var maxAttempts: Int = 10
        public var baseDelayMilliseconds: Int = 1_000
        public var maxDelayMilliseconds: Int = 900_000
        public var pollMilliseconds: Int = 500
        public init(maxAttempts: Int = 10, baseDelayMilliseconds: Int = 1_000, maxDelayMilliseconds: Int = 900_000, pollMilliseconds: Int = 500) {
            self.maxAttempts = maxAttempts; self.baseDelayMilliseconds = baseDelayMilliseconds
            self.maxDelayMilliseconds = maxDelayMilliseconds; self.pollMilliseconds = pollMilliseconds
        }
        enum CodingKeys: String, CodingKey {
            case maxAttempts = "max_attempts"
            case baseDelayMilliseconds = "base_delay_ms"
            case maxDelayMilliseconds = "max_delay_ms"
            case pollMilliseconds = "poll_ms"
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? 10
            baseDelayMilliseconds = try c.decodeIfPresent(Int.self, forKey: .baseDelayMilliseconds) ?? 1_000
            maxDelayMilliseconds = try c.decodeIfPresent(Int.self, forKey: .maxDelayMilliseconds) ?? 900_000
            pollMilliseconds = try c.decodeIfPresent(Int.self, forKey: .pollMilliseconds) ?? 500
        }
    }

    public var listen: Listen
    /// The SQLite store that holds the payments tables, unless `postgresURLEnv` is given.
    public var database: String
    /// The environment variable that holds the PostgreSQL connection string of the payments tables
    /// (`postgres_url_env`), for several replicas on one database; nil: they stay in the SQLite store.
    public var postgresURLEnv: String?
    public var documentsDirectory: String
    /// Invoice dates are shown in this zone.
    public var timeZone: String
    public var https: HTTPS
    public var maxBodyBytes: Int
    public var stripe: Stripe
    public var seller: Seller
    public var email: Email
    public var supplierNotificationURL: String
    public var outbox: Outbox
    /// The buyer's checkout page (`GET /pay/{quote_id}`); nil: no page, the integrator mounts the Payment Element.
    public var checkout: Checkout?
    /// Named backend tokens, by SHA-256 (`payrecon token hash`): each request's actor in the audit log.
    public var apiTokens: [APITokens.Named] = []

    /// The checkout page's settings. The link's signing key is a secret: PAYRECON_CHECKOUT_SECRET.
    public struct Checkout: Sendable, Codable {
        /// Stripe's publishable key (pk_…): it is public, and the page hands it to Stripe.js.
        public var publishableKey: String
        /// Where buyers reach this server (https://pay.marketplace.example): the links the API hands out start with it.
        public var publicURL: String
        /// How long a link stays valid.
        public var linkTTLHours: Int = 168
        public init(publishableKey: String, publicURL: String, linkTTLHours: Int = 168) {
            self.publishableKey = publishableKey; self.publicURL = publicURL; self.linkTTLHours = linkTTLHours
        }
        enum CodingKeys: String, CodingKey {
            case publishableKey = "publishable_key"
            case publicURL = "public_url"
            case linkTTLHours = "link_ttl_hours"
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            publishableKey = try c.decode(String.self, forKey: .publishableKey)
            publicURL = try c.decode(String.self, forKey: .publicURL)
            linkTTLHours = try c.decodeIfPresent(Int.self, forKey: .linkTTLHours) ?? 168
        }
    }

    public init(
        listen: Listen = Listen(), database: String, documentsDirectory: String, timeZone: String = "UTC", https: HTTPS,
        maxBodyBytes: Int = 65_536, stripe: Stripe, seller: Seller, email: Email, supplierNotificationURL: String,
        outbox: Outbox = Outbox()
    ) {
        self.listen = listen; self.database = database; self.documentsDirectory = documentsDirectory; self.timeZone = timeZone
        self.https = https; self.maxBodyBytes = maxBodyBytes; self.stripe = stripe; self.seller = seller; self.email = email
        self.supplierNotificationURL = supplierNotificationURL; self.outbox = outbox
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case listen, database, https, stripe, seller, email, outbox, checkout
        case postgresURLEnv = "postgres_url_env"
        case apiTokens = "api_tokens"
        case documentsDirectory = "documents_directory"
        case timeZone = "time_zone"
        case maxBodyBytes = "max_body_bytes"
        case supplierNotificationURL = "supplier_notification_url"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listen = try c.decodeIfPresent(Listen.self, forKey: .listen) ?? Listen()
        postgresURLEnv = try c.decodeIfPresent(String.self, forKey: .postgresURLEnv)
        // With PostgreSQL the SQLite store is not needed: `database` may be left out.
        database = try postgresURLEnv == nil ? c.decode(String.self, forKey: .database) : c.decodeIfPresent(String.self, forKey: .database) ?? ""
        documentsDirectory = try c.decode(String.self, forKey: .documentsDirectory)
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? "UTC"
        https = try c.decode(HTTPS.self, forKey: .https)
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? 65_536
        stripe = try c.decodeIfPresent(Stripe.self, forKey: .stripe) ?? Stripe()
        seller = try c.decode(Seller.self, forKey: .seller)
        email = try c.decode(Email.self, forKey: .email)
        supplierNotificationURL = try c.decode(String.self, forKey: .supplierNotificationURL)
        outbox = try c.decodeIfPresent(Outbox.self, forKey: .outbox) ?? Outbox()
        checkout = try c.decodeIfPresent(Checkout.self, forKey: .checkout)
        apiTokens = try c.decodeIfPresent([APITokens.Named].self, forKey: .apiTokens) ?? []
    }

    /// Reads and checks a configuration file; errors name the file and the field.
    public static func load(path: String) throws(PaymentsConfigurationError) -> PaymentsConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PaymentsConfigurationError(description: "\(path): cannot read the configuration file")
        }
        return try decode(json: data, path: path)
    }

    /// The configuration from its JSON (the file's, or the YAML config's `serve` section as JSON);
    /// `path` names it in errors.
    public static func decode(json data: Data, path: String) throws(PaymentsConfigurationError) -> PaymentsConfiguration {
        // A misspelt key must not pass for an absent one: `postgres_url_envv` would leave each replica its own SQLite file.
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let known = Set(CodingKeys.allCases.map(\.rawValue))
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw PaymentsConfigurationError(
                    description: "\(path): \(unknown): unknown key (known here: \(known.sorted().joined(separator: ", ")))")
            }
        }
        let configuration: PaymentsConfiguration
        do {
            configuration = try JSONDecoder().decode(PaymentsConfiguration.self, from: data)
        } catch let error as DecodingError {
            throw PaymentsConfigurationError(description: "\(path): \(DecodingProblem.describe(error))")
        } catch {
            throw PaymentsConfigurationError(description: "\(path): \(error)")
        }
        try configuration.validate(path: path)
        return configuration
    }

    func validate(path: String) throws(PaymentsConfigurationError) {
        if let postgresURLEnv, postgresURLEnv.isEmpty || !postgresURLEnv.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            throw PaymentsConfigurationError(
                description: "\(path): postgres_url_env: expected the name of the environment variable that holds the connection string")
        }
        if https.mode == .tls, https.certificate == nil || https.privateKey == nil {
            throw PaymentsConfigurationError(description: "\(path): https: mode tls needs certificate and private_key (PEM files)")
        }
        guard TimeZone(identifier: timeZone) != nil else {
            throw PaymentsConfigurationError(description: "\(path): time_zone: '\(timeZone)' is not an IANA time zone")
        }
        for (index, token) in apiTokens.enumerated() {
            guard token.sha256.count == 64, token.sha256.allSatisfy(\.isHexDigit), !token.name.isEmpty else {
                throw PaymentsConfigurationError(
                    description: "\(path): api_tokens[\(index)]: expected a name and the token's sha256 (64 hex digits; payrecon token hash)")
            }
        }
        if Set(apiTokens.map(\.name)).count != apiTokens.count {
            throw PaymentsConfigurationError(description: "\(path): api_tokens: each name once")
        }
        if let checkout {
            guard checkout.publishableKey.hasPrefix("pk_") else {
                throw PaymentsConfigurationError(description: "\(path): checkout.publishable_key: expected Stripe's publishable key (pk_…)")
            }
            guard checkout.publicURL.hasPrefix("https://") else {
                throw PaymentsConfigurationError(description: "\(path): checkout.public_url: expected an https:// URL")
            }
            guard checkout.linkTTLHours > 0 else {
                throw PaymentsConfigurationError(description: "\(path): checkout.link_ttl_hours: expected a positive number")
            }
        }
        guard maxBodyBytes > 0 else { throw PaymentsConfigurationError(description: "\(path): max_body_bytes: expected a positive number") }
    }
}

public struct PaymentsConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}
