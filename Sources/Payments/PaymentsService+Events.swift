import Core
import Foundation
import PaymentsStore
import StripeAPI

extension PaymentsService {
    /// Inbox events are retried this many times (with backoff up to ten minutes, so about five
    /// hours) before they stay failed for a person to look at.
    static let maxEventAttempts = 40

    /// The charge of a succeeded PaymentIntent: inside the event when expanded (older API
    /// versions, localstripe), otherwise fetched.
    func chargeToBook(_ reference: SucceededIntent.ChargeReference?) async throws -> Charge? {
        switch reference {
        case .object(let charge)?: return charge
        case .id(let id)?: return try await stripe.get("/v1/charges/\(id)")
        case nil: return nil
        }
    }

    /// What an event does, inside its transaction. Objects are decoded from the raw payload, by type.
    func apply(_ prepared: PreparedEvent, in tx: PaymentsTransaction) throws -> WebhookDisposition {
        let payload = prepared.payload
        switch prepared.envelope.type {
        case "payment_intent.succeeded":
            guard let intent = prepared.intent, let stored = try tx.quote(forPaymentIntent: intent.id) else { return .ignored }
            if let order = try bookOrder(intent, charge: prepared.charge, stored: stored, prepared: prepared.invoice, in: tx) {
                try tx.appendAudit(
                    AuditEntry(
                        at: tx.now, actor: "stripe", action: "order.booked", subject: order.orderId.rawValue, requestId: prepared.envelope.id,
                        before: try tx.processing(forPaymentIntent: intent.id).map { _ in "processing" },
                        after: "paid \(order.amount.decimalString) \(order.amount.currency.code), invoice \(order.invoiceNumber)"))
            }
            try tx.endProcessing(intent.id, status: .succeeded)
            return .processed
        case "payment_intent.processing":
            return try markProcessing(try Self.object(ProcessingIntent.self, in: payload), in: tx)
        case "payment_intent.payment_failed":
            let failure = try Self.object(PaymentFailure.self, in: payload)
            try tx.recordPaymentFailure(
                eventId: EventID(prepared.envelope.id), paymentIntent: failure.id,
                code: failure.lastPaymentError?.code, message: failure.lastPaymentError?.message.map(CardNumberMask.mask))
            try endFailedProcessing(failure, in: tx)
            return .processed
        case "charge.refunded":
            let charge = try Self.object(Charge.self, in: payload)
            guard let order = try order(paymentIntent: charge.paymentIntent?.id, charge: charge.id.rawValue, in: tx) else {
                return try isOurs(charge.paymentIntent?.id, in: tx) ? .deferred : .ignored
            }
            let refunds = (try? Self.object(RefundList.self, in: payload).refunds?.data) ?? []
            for refund in refunds where refund.status == .succeeded { try bookRefund(refund, order: order, in: tx) }
            return .processed
        case "refund.created", "refund.updated", "charge.refund.updated":
            let refund = try Self.object(Refund.self, in: payload)
            guard let order = try order(paymentIntent: refund.paymentIntent?.id, charge: refund.charge?.id, in: tx) else {
                return try isOurs(refund.paymentIntent?.id, in: tx) ? .deferred : .ignored
            }
            switch refund.status {
            case .succeeded?: try bookRefund(refund, order: order, in: tx)
            case .failed?, .canceled?:
                try tx.upsertStripe(StripeAccountData(refunds: [refund]))
                try tx.updateRefundRequest(refund: refund.id, status: .failed)
            default: try tx.upsertStripe(StripeAccountData(refunds: [refund]))
            }
            return .processed
        case let type where type.hasPrefix("charge.dispute."):
            let dispute = try Self.object(Dispute.self, in: payload)
            guard let order = try order(paymentIntent: dispute.paymentIntent?.id, charge: dispute.charge?.id, in: tx) else {
                return try isOurs(dispute.paymentIntent?.id, in: tx) ? .deferred : .ignored
            }
            try tx.upsertStripe(StripeAccountData(disputes: [dispute]))
            try tx.appendLedger(
                LedgerEntry(
                    entryId: LedgerEntryID("dsp-\(dispute.id.rawValue)"), orderId: order.orderId, kind: .dispute,
                    amount: dispute.money, stripeId: dispute.id.rawValue, createdAt: dispute.createdAt, supplierId: nil))
            return .processed
        case let type where type.hasPrefix("payout."):
            try tx.upsertStripe(StripeAccountData(payouts: [try Self.object(Payout.self, in: payload)]))
            return .processed
        default:
            return .ignored
        }
    }

    func order(paymentIntent: String?, charge: String?, in tx: PaymentsTransaction) throws -> OrderRecord? {
        if let paymentIntent, let order = try tx.order(forPaymentIntent: PaymentIntentID(paymentIntent)) { return order }
        if let charge { return try tx.order(forCharge: ChargeID(charge)) }
        return nil
    }

    /// An event about a PaymentIntent payrecon made, whose order is not booked yet (events arrive out of order).
    func isOurs(_ paymentIntent: String?, in tx: PaymentsTransaction) throws -> Bool {
        guard let paymentIntent else { return false }
        return try tx.quote(forPaymentIntent: PaymentIntentID(paymentIntent)) != nil
    }

    /// `data.object` of an event, decoded straight from the bytes Stripe sent.
    static func object<T: Decodable>(_ type: T.Type, in payload: Data) throws -> T {
        try JSONDecoder().decode(EventObject<T>.self, from: payload).data.object
    }
}

/// The `{"data": {"object": …}}` part of an event, typed.
struct EventObject<T: Decodable>: Decodable {
    struct Payload: Decodable { let object: T }
    let data: Payload
}

/// A succeeded PaymentIntent with its `latest_charge`, which is an id or, expanded, the charge.
struct SucceededIntent: Decodable, Sendable {
    enum ChargeReference: Decodable {
        case id(String)
        case object(Charge)
        init(from decoder: any Decoder) throws {
            if let id = try? decoder.singleValueContainer().decode(String.self) { self = .id(id) } else { self = .object(try Charge(from: decoder)) }
        }
    }
    let intent: PaymentIntent
    let latestCharge: ChargeReference?

    init(from decoder: any Decoder) throws {
        intent = try PaymentIntent(from: decoder)
        latestCharge = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(ChargeReference.self, forKey: .latestCharge)
    }
    enum CodingKeys: String, CodingKey { case latestCharge = "latest_charge" }
}

/// A `payment_intent.processing` event's object: its id and, when the charge is expanded, its method's type.
struct ProcessingIntent: Decodable {
    let id: PaymentIntentID
    let method: String?
    enum CodingKeys: String, CodingKey {
        case id
        case latestCharge = "latest_charge"
        case paymentMethodTypes = "payment_method_types"
    }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(PaymentIntentID.self, forKey: .id)
        let charge = try? c.decodeIfPresent(Charge.self, forKey: .latestCharge)
        let types = (try? c.decodeIfPresent([String].self, forKey: .paymentMethodTypes)) ?? nil
        method = charge?.paymentMethodDetails?.type ?? (types?.count == 1 ? types?.first : nil)
    }
}

/// A failed PaymentIntent's id and `last_payment_error` (code and message only: never the payment method).
struct PaymentFailure: Decodable {
    struct Detail: Decodable { let code: String?; let message: String? }
    let id: PaymentIntentID
    let lastPaymentError: Detail?
    enum CodingKeys: String, CodingKey {
        case id
        case lastPaymentError = "last_payment_error"
    }
}

/// The refunds a `charge.refunded` event lists on its charge.
struct RefundList: Decodable {
    let refunds: StripeList<Refund>?
}
