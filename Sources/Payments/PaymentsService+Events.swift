import Core
import Foundation
import Store
import StripeAPI

extension PaymentsService {
    /// Inbox events are retried this many times (with backoff up to ten minutes, so about five
    /// hours) before they stay failed for a person to look at.
    static let maxEventAttempts = 40

    /// Events per write transaction: one flush for the group, while the lock (which webhook
    /// acknowledgements also wait for) is held for ~1–2 ms per event, so about 10 ms at most.
    static let eventsPerTransaction = 8

    /// Processes every event waiting in the inbox; returns how many were processed (not deferred).
    /// Safe to run from several tasks: the store processes each event id once.
    @discardableResult
    public func processPendingEvents() async -> Int {
        let pending: [PendingWebhookEvent]
        do { pending = try store.webhookEventsToProcess(limit: 500, maxAttempts: Self.maxEventAttempts, at: clock()) } catch {
            logger.error("Cannot read the webhook inbox", metadata: ["error": "\(error)"])
            return 0
        }
        var done = 0
        var start = 0
        while start < pending.count {
            let group = pending[start..<min(start + Self.eventsPerTransaction, pending.count)]
            done += await process(group)
            start += Self.eventsPerTransaction
        }
        return done
    }

    /// One group: what needs the network or much CPU (fetching a charge, rendering an invoice under
    /// the number it will most likely get) happens first, then one transaction for the group.
    func process(_ group: ArraySlice<PendingWebhookEvent>) async -> Int {
        var ready: [EventID: PreparedEvent] = [:]
        var invoicesAhead = 0
        for pending in group {
            do {
                let event = try JSONDecoder().decode(StripeEvent.self, from: pending.payload)
                let charge = try await chargeToBook(event)
                var invoice: PreparedInvoice?
                if event.type == "payment_intent.succeeded" {
                    invoice = try prepareInvoice(try Self.decode(PaymentIntent.self, event.data.object), ahead: invoicesAhead, at: clock())
                    if invoice != nil { invoicesAhead += 1 }
                }
                ready[pending.id] = PreparedEvent(event: event, charge: charge, invoice: invoice)
            } catch {
                logger.error("Webhook preparation failed; will retry", metadata: ["stripe.event": "\(pending.id)", "error": "\(error)"])
                try? store.recordWebhookFailure(pending.id, reason: String(describing: error), at: clock())
            }
        }
        let ids = group.map(\.id).filter { ready[$0] != nil }
        guard !ids.isEmpty else { return 0 }
        do {
            let outcomes = try store.processWebhookEvents(ids, at: clock()) { tx, id, _ in
                guard let prepared = ready[id] else { return .ignored }
                return try self.apply(prepared.event, charge: prepared.charge, prepared: prepared.invoice, in: tx)
            }
            var processed = 0
            for id in ids {
                switch outcomes[id] {
                case .done(.processed)?: processed += 1
                case let .failed(reason)?:
                    logger.error("Webhook processing failed; will retry", metadata: ["stripe.event": "\(id)", "error": "\(reason)"])
                default: break
                }
            }
            return processed
        } catch {
            logger.error("Webhook processing failed; will retry", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// The charge of a succeeded PaymentIntent: inside the event when expanded (older API
    /// versions, localstripe), otherwise fetched.
    func chargeToBook(_ event: StripeEvent) async throws -> Charge? {
        guard event.type == "payment_intent.succeeded", case let .object(fields) = event.data.object,
              let latest = fields["latest_charge"] else { return nil }
        switch latest {
        case .object: return try Self.decode(Charge.self, latest)
        case let .string(id): return try await stripe.get("/v1/charges/\(id)")
        default: return nil
        }
    }

    func apply(_ event: StripeEvent, charge: Charge?, prepared: PreparedInvoice?, in tx: PaymentsTransaction) throws -> WebhookDisposition {
        let object = event.data.object
        switch event.type {
        case "payment_intent.succeeded":
            let intent = try Self.decode(PaymentIntent.self, object)
            guard let stored = try tx.quote(forPaymentIntent: intent.id) else { return .ignored }
            _ = try bookOrder(intent, charge: charge, stored: stored, prepared: prepared, in: tx)
            return .processed
        case "payment_intent.payment_failed":
            let intent = try Self.decode(PaymentIntent.self, object)
            let failure = try? Self.decode(PaymentFailure.self, object).lastPaymentError
            try tx.recordPaymentFailure(eventId: event.id, paymentIntent: intent.id, code: failure?.code,
                                        message: failure?.message.map(CardNumberMask.mask))
            return .processed
        case "charge.refunded":
            let charge = try Self.decode(Charge.self, object)
            guard let order = try order(paymentIntent: charge.paymentIntent?.id, charge: charge.id.rawValue, in: tx) else {
                return try isOurs(charge.paymentIntent?.id, in: tx) ? .deferred : .ignored
            }
            let refunds = (try? Self.decode(RefundList.self, object).refunds?.data) ?? []
            for refund in refunds where refund.status == .succeeded { try bookRefund(refund, order: order, in: tx) }
            return .processed
        case "refund.created", "refund.updated", "charge.refund.updated":
            let refund = try Self.decode(Refund.self, object)
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
            let dispute = try Self.decode(Dispute.self, object)
            guard let order = try order(paymentIntent: dispute.paymentIntent?.id, charge: dispute.charge?.id, in: tx) else {
                return try isOurs(dispute.paymentIntent?.id, in: tx) ? .deferred : .ignored
            }
            try tx.upsertStripe(StripeAccountData(disputes: [dispute]))
            try tx.appendLedger(LedgerEntry(entryId: LedgerEntryID("dsp-\(dispute.id.rawValue)"), orderId: order.orderId, kind: .dispute,
                                            amount: dispute.money, stripeId: dispute.id.rawValue, createdAt: dispute.createdAt, supplierId: nil))
            return .processed
        case let type where type.hasPrefix("payout."):
            try tx.upsertStripe(StripeAccountData(payouts: [try Self.decode(Payout.self, object)]))
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

    static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> T {
        try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(value))
    }
}

/// An event with what its transaction needs, made ready outside it.
struct PreparedEvent: Sendable {
    let event: StripeEvent
    let charge: Charge?
    let invoice: PreparedInvoice?
}

/// `last_payment_error` of a failed PaymentIntent (code and message only: never the payment method).
struct PaymentFailure: Decodable {
    struct Detail: Decodable { let code: String?; let message: String? }
    let lastPaymentError: Detail?
    enum CodingKeys: String, CodingKey { case lastPaymentError = "last_payment_error" }
}

/// The refunds a `charge.refunded` event lists on its charge.
struct RefundList: Decodable {
    let refunds: StripeList<Refund>?
}
