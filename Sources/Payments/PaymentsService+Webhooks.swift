import Core
import Foundation
import PaymentsStore
import StripeAPI

/// What the webhook endpoint answers once an event is safely in the inbox.
public struct WebhookReceipt: Sendable, Encodable {
    public let received: Bool
    public let duplicate: Bool
}

extension PaymentsService {
    /// `POST /webhooks/stripe`: checks the signature over the raw body, stores the event in the
    /// inbox by its id and only then acknowledges it. Processing happens after the answer, once
    /// per event id however often Stripe delivers it.
    public func receiveWebhook(body: Data, signatureHeader: String?) async throws(PaymentsError) -> WebhookReceipt {
        let now = clock()
        do {
            _ = try WebhookSignature.verify(payload: body, header: signatureHeader, secrets: secrets.webhookSecrets, now: now.seconds)
        } catch {
            // At warning: a wrong endpoint secret refuses every event, and that must show at the default level.
            logger.warning("Webhook refused", metadata: ["reason": "\(error)"])
            throw PaymentsError(status: 400, code: "invalid_signature", message: "Stripe-Signature: \(error)")
        }
        let envelope: EventEnvelope
        do { envelope = try JSONDecoder().decode(EventEnvelope.self, from: body) } catch {
            throw .invalid("body", "a Stripe event with id, type and created")
        }
        guard envelope.id.hasPrefix("evt_") else { throw .invalid("id", "a Stripe event id (evt_…)") }
        do {
            // Stored masked: free text (a billing name, a description) may hold a card number someone typed.
            // The signature was checked over the raw body above, so masking now changes nothing it vouches for.
            let new = try await inbox.store(
                IncomingWebhookEvent(
                    id: EventID(envelope.id), type: envelope.type,
                    created: envelope.created, payload: Data(CardNumberMask.mask(String(decoding: body, as: UTF8.self)).utf8)))
            if new { doorbell.ring() }
            return WebhookReceipt(received: true, duplicate: !new)
        } catch {
            throw answer(for: error, doing: "store the event")
        }
    }
}

/// The three fields the inbox needs before the event is acknowledged.
struct EventEnvelope: Decodable, Sendable {
    let id: String
    let type: String
    let created: Int64
}
