import AsyncHTTPClient
import Core
import Foundation
import Logging
import NIOCore
import Payments

/// Tells people how a nightly run went: an email summary (the workbook attached) through the libcurl
/// SMTP sender, and a JSON POST to a webhook (a chat channel's incoming webhook takes its `text`).
/// Each is optional and retried; a notification that still fails is logged at error and recorded in
/// the result, and never changes the run's outcome: the data is committed by then.
public struct RunNotifier: Sendable {
    public let notifications: NightlyConfiguration.Notifications
    public let environment: [String: String]
    public let logger: Logger
    /// Before the second try; doubled each time.
    public var firstBackoff: Duration = .seconds(1)

    public init(notifications: NightlyConfiguration.Notifications, environment: [String: String], logger: Logger) {
        self.notifications = notifications; self.environment = environment; self.logger = logger
    }

    /// Sends what is configured; one line per notification: "email a@b: sent", "webhook: failed after 3 tries: …".
    public func notify(_ outcome: NightlyOutcome, workbook: String?) async -> [String] {
        var results: [String] = []
        if let email = notifications.email {
            for recipient in email.to {
                let result = await retrying("email to \(recipient)") { try send(email, to: recipient, outcome, workbook: workbook) }
                results.append("email \(recipient): \(result)")
            }
        }
        if let webhook = notifications.webhook {
            let result = await retrying("webhook") { try await post(webhook, outcome) }
            results.append("webhook: \(result)")
        }
        return results
    }

    private func retrying(_ what: String, _ attempt: () async throws -> Void) async -> String {
        var backoff = firstBackoff
        for n in 1...notifications.attempts {
            do {
                try await attempt()
                return n == 1 ? "sent" : "sent on try \(n)"
            } catch {
                let reason = CardNumberMask.mask(String(describing: error))
                guard n < notifications.attempts else {
                    logger.error("notification failed, given up", metadata: ["notification": "\(what)", "tries": "\(n)", "error": "\(reason)"])
                    return "failed after \(n) tries: \(reason)"
                }
                logger.warning("notification failed, retrying", metadata: ["notification": "\(what)", "try": "\(n)", "error": "\(reason)"])
                try? await Task.sleep(for: backoff)
                backoff *= 2
            }
        }
        return "not sent"
    }

    private func send(_ email: NightlyConfiguration.Email, to recipient: String, _ outcome: NightlyOutcome, workbook: String?) throws {
        let mailer = SMTPMailer(
            url: email.smtpURL, username: email.usernameEnv.flatMap { environment[$0] }, password: email.passwordEnv.flatMap { environment[$0] },
            requireTLS: email.requireTLS, caFile: email.caFile, timeoutSeconds: notifications.timeoutSeconds)
        var attachments: [EmailMessage.Attachment] = []
        if email.attachWorkbook, let workbook, FileManager.default.fileExists(atPath: workbook) {
            attachments.append(
                .init(
                    filename: "payrecon-\(outcome.from)_\(outcome.to).xlsx",
                    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", path: workbook))
        }
        try mailer.send(
            EmailMessage(
                from: email.from, to: recipient, subject: outcome.headline, body: outcome.text, attachments: attachments,
                messageId: "payrecon-run-\(outcome.runId)-\(recipient.filter { $0.isLetter || $0.isNumber })@payrecon"))
    }

    private func post(_ webhook: NightlyConfiguration.Webhook, _ outcome: NightlyOutcome) async throws {
        guard let url = webhook.url ?? webhook.urlEnv.flatMap({ environment[$0] }) else {
            throw NotificationError("the webhook URL's environment variable \(webhook.urlEnv ?? "?") is not set")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try outcome.webhookBody()))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(notifications.timeoutSeconds)))
        guard (200..<300).contains(response.status.code) else {
            // The URL is a credential: the error names the status only.
            throw NotificationError("the webhook answered \(response.status.code)")
        }
    }
}

struct NotificationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
