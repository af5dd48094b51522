import AsyncHTTPClient
import Core
import Foundation
import NIOCore
import PaymentsStore

extension PaymentsService {
    /// Tries every due outbox item once; returns how many were delivered. A failure is recorded on
    /// the item and retried with exponential backoff; the order it belongs to is never touched.
    @discardableResult
    public func deliverDueOutbox() async -> Int {
        let items: [OutboxItem]
        do { items = try store.dueOutboxItems(at: clock(), limit: 50) } catch {
            logger.error("Cannot read the outbox", metadata: ["error": "\(error)"])
            return 0
        }
        var delivered = 0
        for item in items {
            do {
                switch item.channel {
                case .email: try await sendEmail(item)
                case .supplierNotification: try await notifySupplier(item)
                }
                try store.markOutboxDelivered(item.id, at: clock())
                delivered += 1
                logger.info("Outbox item delivered", metadata: ["outbox.id": "\(item.id)", "channel": "\(item.channel.rawValue)"])
            } catch {
                let attempts = item.attempts + 1
                let retryAt = attempts >= configuration.outbox.maxAttempts ? nil : clock().adding(microseconds: backoff(attempts: attempts))
                // A give-up (no retry left) is an error: an email or notification that will never go out.
                logger.log(
                    level: retryAt == nil ? .error : .warning, retryAt == nil ? "Outbox delivery failed, given up" : "Outbox delivery failed",
                    metadata: [
                        "outbox.id": "\(item.id)", "channel": "\(item.channel.rawValue)",
                        "attempt": "\(attempts)", "error": "\(error)",
                        "gave_up": "\(retryAt == nil)",
                    ])
                try? store.markOutboxAttemptFailed(item.id, error: String(describing: error), retryAt: retryAt)
            }
        }
        return delivered
    }

    /// Microseconds before attempt `attempts + 1`: base × 2^(attempts−1), capped, with up to 25 % jitter.
    func backoff(attempts: Int) -> Int64 {
        let base = Int64(configuration.outbox.baseDelayMilliseconds) * 1_000
        let cap = Int64(configuration.outbox.maxDelayMilliseconds) * 1_000
        let delay = min(cap, base << Int64(min(attempts - 1, 30)))
        return delay + Int64.random(in: 0...max(0, delay / 4))
    }

    func sendEmail(_ item: OutboxItem) async throws {
        let message = try JSONDecoder().decode(EmailMessage.self, from: Data(item.payload))
        let mailer = SMTPMailer(
            url: configuration.email.smtpURL, username: configuration.email.username,
            password: secrets.smtpPassword, requireTLS: configuration.email.requireTLS,
            caFile: configuration.email.caFile)
        // libcurl blocks, and a slow SMTP server would hold the thread: a queue (and thread) of its own.
        try await DispatchQueue(label: "payrecon.smtp").run { () throws(SMTPError) in try mailer.send(message) }
    }

    func notifySupplier(_ item: OutboxItem) async throws {
        var request = HTTPClientRequest(url: configuration.supplierNotificationURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        // The receiver can drop a notification it has seen (a retry after a lost answer).
        request.headers.add(name: "Idempotency-Key", value: item.dedupeKey)
        request.body = .bytes(ByteBuffer(bytes: item.payload))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(response.status.code)) else { throw NotificationError(status: Int(response.status.code)) }
    }
}

struct NotificationError: Error, CustomStringConvertible {
    let status: Int
    var description: String { "the notification service answered HTTP \(status)" }
}
