import Core
import Foundation
import Logging
import PaymentsStore
import StripeAPI

/// The payments companion: pays approved quotes, refunds orders, and turns Stripe's webhooks into
/// orders, invoices, ledger entries, emails and supplier notifications. The HTTP layer
/// (`PaymentsApplication`) and the background workers (`PaymentsWorkers`) call into it.
public final class PaymentsService: Sendable {
    public let store: any PaymentsStore
    public let configuration: PaymentsConfiguration
    let stripe: StripeClient
    let secrets: PaymentsSecrets
    let renderer: InvoiceRenderer
    let logger: Logger
    let quoteLocks = KeyedLock()
    /// Rung when an event enters the inbox, so the processor does not wait for its next poll.
    let doorbell = Doorbell()
    let inbox: InboxWriter
    /// Where a group of events commits (the store blocks while it flushes).
    let commitQueue = DispatchQueue(label: "payrecon.event-commit")
    /// Where the next batch of events is read and planned (the store's reads may wait for a commit).
    let planQueue = DispatchQueue(label: "payrecon.event-plan")
    /// Where invoices are rendered ahead of their transactions: every core, below everything else.
    let backgroundThreads = BackgroundThreads()
    let clock: @Sendable () -> Timestamp

    public init(
        configuration: PaymentsConfiguration, secrets: PaymentsSecrets, store: any PaymentsStore, logger: Logger,
        renderer: InvoiceRenderer = InvoiceRenderer(), retry: RetryPolicy = RetryPolicy(rateLimitPatience: .seconds(10)),
        clock: @escaping @Sendable () -> Timestamp = PaymentsService.systemNow
    ) throws {
        self.configuration = configuration
        self.secrets = secrets
        self.store = store
        self.logger = logger
        self.renderer = renderer
        self.clock = clock
        inbox = InboxWriter(store: store, clock: clock)
        let breaker = CircuitBreaker(
            failureThreshold: configuration.stripe.breakerFailureThreshold,
            cooldown: .seconds(configuration.stripe.breakerCooldownSeconds))
        stripe = StripeClient(
            baseURL: configuration.stripe.apiBase, apiKey: secrets.apiKey, retry: retry, timeout: .seconds(20),
            breaker: breaker, logger: logger)
        try FileManager.default.createDirectory(atPath: configuration.documentsDirectory, withIntermediateDirectories: true)
    }

    @Sendable public static func systemNow() -> Timestamp { Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)) }

    /// Maps errors from Stripe and the store to what the backend is told.
    func answer(for error: any Error, doing what: String) -> PaymentsError {
        switch error {
        case let error as PaymentsError:
            return error
        case let error as CircuitOpenError:
            return PaymentsError(
                status: 503, code: "stripe_unavailable",
                message: "Stripe is failing; payrecon stopped calling it for now. Retry later.",
                retryAfterSeconds: error.retryAfterSeconds)
        case let error as StripeError where error.isUnavailable:
            logger.error("Stripe unavailable", metadata: ["operation": "\(what)", "error": "\(error)"])
            return PaymentsError(status: 503, code: "stripe_unavailable", message: "Stripe did not answer; retry later.", retryAfterSeconds: 5)
        case let error as StripeError:
            return PaymentsError(status: 502, code: error.code ?? "stripe_error", message: "Stripe refused to \(what): \(error.message)")
        default:
            logger.error("Request failed", metadata: ["operation": "\(what)", "error": "\(error)"])
            return PaymentsError(status: 500, code: "internal_error", message: "could not \(what); see the server log")
        }
    }
}
