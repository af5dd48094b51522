import Core
import Foundation
import PaymentsStore
import StripeAPI

extension PaymentsService {
    /// Inbox events are retried this many times (with backoff up to ten minutes, so about five
    /// hours) before they stay failed for a person to look at.
    static let maxEventAttempts = 40

    /// Events per write transaction: one flush for the group, while the lock (which webhook
    /// acknowledgements also wait for) is held for ~1–2 ms per event, so about 10 ms at most.
    static let eventsPerTransaction = 8

    /// Events of a group prepared at once: every core but one while webhooks are arriving (that one
    /// answers them), every core once they have stopped for a moment (docs/features/payments.md has
    /// the figures on 2 cores for both widths).
    var preparationWidth: Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return arrivals.isQuiet(for: .milliseconds(250)) ? cores : max(1, cores - 1)
    }

    /// Processes every event waiting in the inbox; returns how many were done with (processed or
    /// ignored; not deferred or failed).
    /// Safe to run from several tasks and replicas: the store processes each event id once. A store
    /// may hand out fewer events than asked (PostgreSQL's share each replica a batch at a time), so
    /// this asks again for as long as a batch got something done.
    @discardableResult
    public func processPendingEvents() async -> Int {
        var done = 0
        while !Task.isCancelled {
            let pending: [PendingWebhookEvent]
            do { pending = try store.webhookEventsToProcess(limit: 500, maxAttempts: Self.maxEventAttempts, at: clock()) } catch {
                logger.error("Cannot read the webhook inbox", metadata: ["error": "\(error)"])
                return done
            }
            // A pipeline: the next group is prepared while the one before commits, on a thread of its own.
            var batch = 0
            var start = 0
            var nextInvoice: Int64 = 0
            var committing: Task<Int, Never>?
            while start < pending.count {
                let group = pending[start..<min(start + Self.eventsPerTransaction, pending.count)]
                let prepared = await prepare(group, nextInvoice: &nextInvoice)
                if let committing { batch += await committing.value }
                committing = Task { await self.commitOffThePool(prepared) }
                start += Self.eventsPerTransaction
            }
            if let committing { batch += await committing.value }
            done += batch
            // Nothing done (all deferred, failing, or taken by another replica): wait for the doorbell or the poll.
            if batch == 0 { break }
        }
        return done
    }

    /// One group, made ready for its transaction: what needs the network or much CPU (fetching a
    /// charge, rendering an invoice under the number it will most likely get) is done here,
    /// `preparationWidth` events at a time. `nextInvoice`: the sequence number after the last invoice
    /// planned (the group before may not have committed yet).
    func prepare(_ group: ArraySlice<PendingWebhookEvent>, nextInvoice: inout Int64) async -> PreparedGroup {
        // In order and cheap: which events book an order, and the number each will most likely get.
        var jobs: [PreparationJob] = []
        for pending in group {
            do {
                let envelope = try JSONDecoder().decode(EventEnvelope.self, from: pending.payload)
                var job = PreparationJob(pending: pending, envelope: envelope)
                if envelope.type == "payment_intent.succeeded" { job.succeeded = try Self.object(SucceededIntent.self, in: pending.payload) }
                jobs.append(job)
            } catch {
                failPreparation(pending.id, error)
            }
        }
        let intents = jobs.compactMap { $0.succeeded?.intent.id }
        do {
            let planned = try planInvoices(intents, atLeast: nextInvoice, at: clock())
            for index in jobs.indices {
                guard let id = jobs[index].succeeded?.intent.id, let invoice = planned[id] else { continue }
                jobs[index].invoice = invoice
                nextInvoice = max(nextInvoice, DocumentRecord.Kind.sequence(of: invoice.number) + 1)
            }
        } catch {
            // Planning is a guess: without one, each order is rendered in its transaction.
            logger.warning("Cannot plan the group's invoices", metadata: ["error": "\(error)"])
        }
        // Concurrently: the charges from Stripe, then the PDFs.
        var ready: [EventID: PreparedEvent] = [:]
        let width = preparationWidth
        let outcomes = await withTaskGroup(of: PreparationOutcome.self, returning: [PreparationOutcome].self) { tasks in
            var next = 0
            func start() {
                guard next < jobs.count else { return }
                let (index, job) = (next, jobs[next])
                next += 1
                tasks.addTask {
                    do { return PreparationOutcome(index: index, prepared: try await self.prepare(job), failure: nil) } catch {
                        return PreparationOutcome(index: index, prepared: nil, failure: String(describing: error))
                    }
                }
            }
            for _ in 0..<width { start() }
            var all: [PreparationOutcome] = []
            for await outcome in tasks {
                all.append(outcome)
                start()
            }
            return all
        }
        for outcome in outcomes {
            let id = jobs[outcome.index].pending.id
            if let prepared = outcome.prepared { ready[id] = prepared } else { failPreparation(id, outcome.failure ?? "?") }
        }
        return PreparedGroup(ids: group.map(\.id).filter { ready[$0] != nil }, ready: ready)
    }

    /// Blocks while the store writes (and flushes): on a queue of its own, off the cooperative pool,
    /// whose threads meanwhile render the next group.
    func commitOffThePool(_ prepared: PreparedGroup) async -> Int {
        await withCheckedContinuation { continuation in
            commitQueue.async { continuation.resume(returning: self.commit(prepared)) }
        }
    }

    /// One transaction for a prepared group; how many of its events were done with.
    func commit(_ prepared: PreparedGroup) -> Int {
        let (ids, ready) = (prepared.ids, prepared.ready)
        guard !ids.isEmpty else { return 0 }
        do {
            let outcomes = try store.processWebhookEvents(ids, at: clock()) { tx, id, _ in
                guard let prepared = ready[id] else { return .ignored }
                return try self.apply(prepared, in: tx)
            }
            var processed = 0
            for id in ids {
                switch outcomes[id] {
                case .done(.processed)?, .done(.ignored)?: processed += 1
                case .failed(let reason)?:
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

    private func prepare(_ job: PreparationJob) async throws -> PreparedEvent {
        guard let succeeded = job.succeeded else {
            return PreparedEvent(envelope: job.envelope, payload: job.pending.payload, intent: nil, charge: nil, invoice: nil)
        }
        let charge = try await chargeToBook(succeeded.latestCharge)
        let invoice = try job.invoice.map { planned in try renderInvoice(planned, intent: succeeded.intent, charge: charge, at: clock()) }
        return PreparedEvent(envelope: job.envelope, payload: job.pending.payload, intent: succeeded.intent, charge: charge, invoice: invoice)
    }

    private func failPreparation(_ id: EventID, _ error: any Error) { failPreparation(id, String(describing: error)) }

    private func failPreparation(_ id: EventID, _ error: String) {
        logger.error("Webhook preparation failed; will retry", metadata: ["stripe.event": "\(id)", "error": "\(error)"])
        try? store.recordWebhookFailure(id, reason: error, at: clock())
    }

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
            if try bookOrder(intent, charge: prepared.charge, stored: stored, prepared: prepared.invoice, in: tx),
                let order = try tx.order(forPaymentIntent: intent.id)
            {
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

/// A group's events that are ready for their transaction.
struct PreparedGroup: Sendable {
    let ids: [EventID]
    let ready: [EventID: PreparedEvent]
}

/// An event with what its transaction needs, made ready outside it.
struct PreparedEvent: Sendable {
    let envelope: EventEnvelope
    let payload: Data
    /// For payment_intent.succeeded: the PaymentIntent, its charge and the invoice rendered ahead.
    let intent: PaymentIntent?
    let charge: Charge?
    let invoice: PreparedInvoice?
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

/// A failed PaymentIntent's id and `last_payment_error` (code and message only: never the payment method).
/// What preparing one event of a group gave: its position in the group, and its preparation or why it failed.
struct PreparationOutcome: Sendable {
    let index: Int
    let prepared: PreparedEvent?
    let failure: String?
}

/// An event of a group on its way to its transaction: decoded, and for a payment, the invoice planned.
struct PreparationJob: Sendable {
    let pending: PendingWebhookEvent
    let envelope: EventEnvelope
    var succeeded: SucceededIntent?
    var invoice: PreparedInvoice?
    init(pending: PendingWebhookEvent, envelope: EventEnvelope) { self.pending = pending; self.envelope = envelope }
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
