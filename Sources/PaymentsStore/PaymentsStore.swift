import Core
import Foundation
import Store

/// What the payments companion keeps: quotes, orders, refund requests, documents, the webhook inbox
/// and the outbox. Payments sees only this protocol, so the embedded SQLite store (`PayreconStore`)
/// and a store shared by several replicas can stand behind it alike.
public protocol PaymentsStore: Sendable {
    func registerQuote(_ quote: StoredQuote, at now: Timestamp) throws -> StoredQuote
    /// An action in the audit log (append-only in the store itself), outside a payments transaction.
    func appendAudit(_ entry: AuditEntry) throws
    func attachPaymentIntent(_ id: PaymentIntentID, toQuote quoteId: String) throws
    func order(_ id: OrderID) throws -> OrderRecord?
    func documents(order id: OrderID) throws -> [DocumentRecord]
    func ledgerEntries(order id: OrderID) throws -> [LedgerEntry]
    func paymentFailures(paymentIntent id: PaymentIntentID) throws -> [(code: String?, message: String?)]

    func reserveRefund(requestKey: String, order orderId: OrderID, amount: Int64?, reason: String?, at now: Timestamp) throws
        -> RefundReservation
    func refundRequestSent(requestKey: String, refund: RefundID, status: RefundRequestRecord.Status) throws
    func refundRequestFailed(requestKey: String, error: String) throws
    func refundRequest(key: String) throws -> RefundRequestRecord?

    func receiveWebhookEvents(_ events: [IncomingWebhookEvent], at now: Timestamp) throws -> [Bool]
    func webhookEventsToProcess(limit: Int, maxAttempts: Int, at now: Timestamp?) throws -> [PendingWebhookEvent]
    func processWebhookEvents(
        _ ids: [EventID], at now: Timestamp,
        _ body: (any PaymentsTransaction, EventID, Data) throws -> WebhookDisposition
    ) throws
        -> [EventID: WebhookOutcome]
    func recordWebhookFailure(_ id: EventID, reason: String, at now: Timestamp) throws
    func webhookEvents() throws -> [WebhookEventRecord]

    func dueOutboxItems(at now: Timestamp, limit: Int) throws -> [OutboxItem]
    func outboxItems(order id: OrderID?) throws -> [OutboxItem]
    func markOutboxDelivered(_ id: Int64, at now: Timestamp) throws
    func markOutboxAttemptFailed(_ id: Int64, error: String, retryAt: Timestamp?) throws

    /// Runs `body` on a read-only snapshot (work prepared before a write transaction).
    func readPayments<T>(at now: Timestamp, _ body: (any PaymentsTransaction) throws -> T) throws -> T
    /// Runs `body` in one write transaction: everything it writes commits together or not at all.
    func withPaymentsTransaction<T>(at now: Timestamp, _ body: (any PaymentsTransaction) throws -> T) throws -> T
}

extension PaymentsStore {
    public func webhookEventsToProcess(limit: Int, maxAttempts: Int) throws -> [PendingWebhookEvent] {
        try webhookEventsToProcess(limit: limit, maxAttempts: maxAttempts, at: nil)
    }

    public func outboxItems() throws -> [OutboxItem] { try outboxItems(order: nil) }

    /// Processes one event (see `processWebhookEvents`); nil when another worker took it.
    public func processWebhookEvent(
        _ id: EventID, at now: Timestamp,
        _ body: (any PaymentsTransaction, Data) throws -> WebhookDisposition
    ) throws -> WebhookDisposition? {
        switch try processWebhookEvents([id], at: now, { tx, _, payload in try body(tx, payload) })[id] {
        case .done(let disposition): return disposition
        case .failed(let reason): throw PaymentsStoreFailure(description: "payments store: process webhook event \(id) failed: \(reason)")
        case .skipped, nil: return nil
        }
    }
}

/// A handler's failure as the store recorded it on the event.
public struct PaymentsStoreFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// What a payments handler may do inside one transaction of a `PaymentsStore`.
public protocol PaymentsTransaction {
    var now: Timestamp { get }
    func quote(forPaymentIntent id: PaymentIntentID) throws -> StoredQuote?
    /// A quote by its id (the checkout page's).
    func quote(id: String) throws -> StoredQuote?
    /// An action in the audit log, committed with the transaction's other writes.
    func appendAudit(_ entry: AuditEntry) throws
    /// The processing state of a payment (bank debits), if Stripe reported one.
    func processing(forPaymentIntent id: PaymentIntentID) throws -> ProcessingRecord?
    func processing(order id: OrderID) throws -> ProcessingRecord?
    /// Records that the payment is processing; false when a state is recorded already (an event again, or late).
    @discardableResult
    func markProcessing(_ record: ProcessingRecord) throws -> Bool
    /// Ends a processing payment: succeeded (booked) or failed. False when none was processing.
    @discardableResult
    func endProcessing(_ id: PaymentIntentID, status: ProcessingRecord.Status) throws -> Bool
    func order(_ id: OrderID) throws -> OrderRecord?
    func order(forPaymentIntent id: PaymentIntentID) throws -> OrderRecord?
    func order(forCharge id: ChargeID) throws -> OrderRecord?
    /// The next number of `kind`, taken inside the transaction that records the document, so a
    /// rolled-back order gives its number back and the sequence has no gaps.
    func nextDocumentNumber(_ kind: DocumentRecord.Kind) throws -> String
    /// The number `nextDocumentNumber` would give now (for rendering before the transaction).
    func peekNextDocumentNumber(_ kind: DocumentRecord.Kind) throws -> String
    /// The quotes of these PaymentIntents that have no order yet: what a batch of succeeded events
    /// will book. In one statement: a batch holds hundreds.
    func quotesAwaitingOrders(_ ids: [PaymentIntentID]) throws -> [PaymentIntentID: StoredQuote]
    func insertOrder(_ order: OrderRecord) throws
    func recordDocument(_ document: DocumentRecord) throws
    /// Appends a ledger entry; false when it exists already (a handler running twice appends once).
    @discardableResult func appendLedger(_ entry: LedgerEntry) throws -> Bool
    /// Queues an email or notification; a second item with the same key is ignored.
    func enqueue(_ channel: OutboxItem.Channel, key: String, orderId: OrderID?, payload: [UInt8]) throws
    func recordPaymentFailure(eventId: EventID, paymentIntent: PaymentIntentID, code: String?, message: String?) throws
    /// Stripe objects that webhooks carried (a charge, a refund, a dispute, a payout), for the nightly run.
    func upsertStripe(_ data: StripeAccountData) throws
    func updateRefundRequest(refund: RefundID, status: RefundRequestRecord.Status) throws
}
