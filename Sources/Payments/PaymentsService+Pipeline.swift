import Core
import Foundation
import PaymentsStore
import StripeAPI

/// How the inbox is worked through: events in batches, a batch in groups of `eventsPerTransaction`;
/// each group planned (decoded, its invoices numbered), prepared (charges fetched, PDFs rendered) and
/// then committed in one transaction. Preparation is one stream of jobs across groups and batches
/// (`InboxPipeline`), so a core that finishes the last invoice of a group starts on the next one's
/// first at once, and groups commit (in order, on a queue of their own) while later ones render.
extension PaymentsService {
    /// Events per write transaction: one flush for the group, while the lock (which webhook
    /// acknowledgements also wait for) is held for ~1–2 ms per event, so about 10 ms at most.
    static let eventsPerTransaction = 8

    /// Groups planned beyond those committed, at most: enough that a commit never leaves a core
    /// without an invoice to render, few enough that a failed commit has little rendered in vain
    /// (and little held in memory).
    static let groupsAhead = 2

    /// Events prepared at once: one for each background thread, and one more, so that a thread that
    /// finishes an invoice finds the next one waiting.
    var preparationWidth: Int { backgroundThreads.count + 1 }

    /// Events read from the inbox at a time.
    static let batchSize = 500

    /// Processes every event waiting in the inbox; returns how many were done with (processed or
    /// ignored; not deferred or failed).
    /// Safe to run from several tasks and replicas: the store processes each event id once. A store
    /// may hand out fewer events than asked (PostgreSQL's share each replica a batch at a time): the
    /// pipeline asks again while its last group renders, until the inbox has nothing more for it.
    @discardableResult
    public func processPendingEvents() async -> Int {
        await InboxPipeline(service: self).run()
    }

    /// The next due events, less those `excluded` (still on their way through the pipeline, so not
    /// committed yet, and still waiting in the SQLite store's inbox), in groups, planned: the first
    /// invoice from `invoicesFrom` or the sequence's next, whichever is later. Blocks on the store.
    func nextBatch(excluding excluded: Set<EventID>, invoicesFrom floor: Int64) -> PlannedBatch {
        let pending: [PendingWebhookEvent]
        do {
            pending = try store.webhookEventsToProcess(limit: Self.batchSize + excluded.count, maxAttempts: Self.maxEventAttempts, at: clock())
        } catch {
            logger.error("Cannot read the webhook inbox", metadata: ["error": "\(error)"])
            return PlannedBatch(groups: [], nextInvoice: floor)
        }
        let fresh = Array(pending.lazy.filter { !excluded.contains($0.id) }.prefix(Self.batchSize))
        let size = Self.eventsPerTransaction
        let events = stride(from: 0, to: fresh.count, by: size).map { fresh[$0..<min($0 + size, fresh.count)] }
        var nextInvoice = floor
        let jobs = plan(events, nextInvoice: &nextInvoice)
        return PlannedBatch(groups: zip(events, jobs).map { PipelineGroup(ids: $0.map(\.id), jobs: $1) }, nextInvoice: nextInvoice)
    }

    /// A group's transaction, once the one handed in before it (`previous`) has committed: invoice
    /// numbers were planned in the groups' order.
    func commitInOrder(_ prepared: PreparedGroup, after previous: Task<Int, Never>?) async -> Int {
        _ = await previous?.value
        return await commitQueue.run { self.commit(prepared) }
    }

    /// In order and cheap: a batch's events decoded, group by group, and for each that books an
    /// order, the invoice number it will most likely get.
    func plan(_ groups: [ArraySlice<PendingWebhookEvent>], nextInvoice: inout Int64) -> [[PreparationJob]] {
        var jobs: [[PreparationJob]] = groups.map { group in
            group.compactMap { pending in
                do {
                    let envelope = try JSONDecoder().decode(EventEnvelope.self, from: pending.payload)
                    var job = PreparationJob(pending: pending, envelope: envelope)
                    if envelope.type == "payment_intent.succeeded" { job.succeeded = try Self.object(SucceededIntent.self, in: pending.payload) }
                    return job
                } catch {
                    failPreparation(pending.id, String(describing: error))
                    return nil
                }
            }
        }
        let intents = jobs.flatMap { $0.compactMap { $0.succeeded?.intent.id } }
        do {
            let planned = try planInvoices(intents, atLeast: nextInvoice, at: clock())
            for group in jobs.indices {
                for index in jobs[group].indices {
                    guard let id = jobs[group][index].succeeded?.intent.id, let invoice = planned[id] else { continue }
                    jobs[group][index].invoice = invoice
                    nextInvoice = max(nextInvoice, DocumentRecord.Kind.sequence(of: invoice.number) + 1)
                }
            }
        } catch {
            // Planning is a guess: without one, each order is rendered in its transaction.
            logger.warning("Cannot plan the batch's invoices", metadata: ["error": "\(error)"])
        }
        return jobs
    }

    /// What needs the network or much CPU, for one event: its charge from Stripe, its invoice's PDF.
    func prepare(_ job: PreparationJob) async throws -> PreparedEvent {
        guard let succeeded = job.succeeded else {
            return PreparedEvent(envelope: job.envelope, payload: job.pending.payload, intent: nil, charge: nil, invoice: nil)
        }
        let charge = try await chargeToBook(succeeded.latestCharge)
        var invoice: PreparedInvoice?
        if let planned = job.invoice {
            let now = clock()
            invoice = try await backgroundThreads.run { try self.renderInvoice(planned, intent: succeeded.intent, charge: charge, at: now) }
        }
        return PreparedEvent(envelope: job.envelope, payload: job.pending.payload, intent: succeeded.intent, charge: charge, invoice: invoice)
    }

    /// A group with its preparations, ready for its transaction; those that failed are recorded as
    /// failed attempts (and retried later) instead.
    func ready(_ group: PipelineGroup) -> PreparedGroup {
        var ready: [EventID: PreparedEvent] = [:]
        for outcome in group.outcomes {
            let id = group.jobs[outcome.index].pending.id
            if let prepared = outcome.prepared { ready[id] = prepared } else { failPreparation(id, outcome.failure ?? "?") }
        }
        return PreparedGroup(ids: group.ids.filter { ready[$0] != nil }, ready: ready)
    }

    /// One transaction for a prepared group; how many of its events were done with. Blocks while the
    /// store writes and flushes, so it runs on `commitQueue`, off the cooperative pool.
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

    func failPreparation(_ id: EventID, _ error: String) {
        logger.error("Webhook preparation failed; will retry", metadata: ["stripe.event": "\(id)", "error": "\(error)"])
        try? store.recordWebhookFailure(id, reason: error, at: clock())
    }
}

/// Events read from the inbox and planned, in groups of `eventsPerTransaction`, and the sequence
/// number after the last invoice planned.
struct PlannedBatch: Sendable {
    let groups: [PipelineGroup]
    let nextInvoice: Int64
}

/// One group of events on its way to its transaction: its events' ids in the inbox's order, the
/// jobs of those that decoded, and the preparations in so far.
struct PipelineGroup: Sendable {
    let ids: [EventID]
    /// How many jobs the group has (kept once `jobs` is let go, after the group is handed in).
    let size: Int
    var jobs: [PreparationJob]
    var outcomes: [PreparationOutcome] = []

    init(ids: [EventID], jobs: [PreparationJob]) {
        self.ids = ids
        self.jobs = jobs
        size = jobs.count
    }

    var isPrepared: Bool { outcomes.count == size }
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

/// What preparing one event gave: its group in the batch, its position in the group, and its
/// preparation or why it failed.
struct PreparationOutcome: Sendable {
    let group: Int
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
