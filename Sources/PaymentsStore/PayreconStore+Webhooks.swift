import Core
import Foundation
import GRDB
import Store

/// How processing an inbox event ended.
public enum WebhookDisposition: String, Sendable {
    /// Done; never processed again.
    case processed
    /// Its subject is not here yet (a refund before its order): tried again later.
    case deferred
    /// Acknowledged and kept, nothing to do (an event type payrecon does not handle).
    case ignored
}

/// When a failed or deferred event is tried again: a deferred one soon (its order may arrive
/// any moment), a failed one after 2^attempts seconds, at most ten minutes, so an outage of
/// Stripe or the disk is waited out rather than burning through the attempts.
public enum WebhookRetry {
    /// Microseconds.
    public static func delay(attempts: Int, deferred: Bool) -> Int64 {
        deferred ? 1_000_000 : min(600, Int64(1) << Int64(min(attempts, 10))) * 1_000_000
    }
}

/// A verified event on its way into the inbox.
public struct IncomingWebhookEvent: Hashable, Sendable {
    public let id: EventID
    public let type: String
    public let created: Int64
    public let payload: Data
    public init(id: EventID, type: String, created: Int64, payload: Data) {
        self.id = id; self.type = type; self.created = created; self.payload = payload
    }
}

/// What became of one event of a processing group.
public enum WebhookOutcome: Hashable, Sendable {
    case done(WebhookDisposition)
    /// Not waiting any more: another worker processed it.
    case skipped
    /// Its handler failed; the error is recorded on the event, which is tried again later.
    case failed(String)
}

/// An inbox event waiting to be processed, with its raw payload.
public struct PendingWebhookEvent: Hashable, Sendable {
    public let id: EventID
    public let payload: Data
    public init(id: EventID, payload: Data) { self.id = id; self.payload = payload }
}

/// One inbox row, for status pages and tests.
public struct WebhookEventRecord: Hashable, Sendable {
    public let eventId: EventID
    public let type: String
    public let status: String
    public let deliveries: Int
    public let attempts: Int
    public let error: String?
    public init(eventId: EventID, type: String, status: String, deliveries: Int, attempts: Int, error: String?) {
        self.eventId = eventId; self.type = type; self.status = status; self.deliveries = deliveries; self.attempts = attempts
        self.error = error
    }
}

extension PayreconStore {
    /// Stores verified events in the inbox, all in one transaction (one fsync for a whole group of
    /// concurrent deliveries), before they are acknowledged. For each event: false when its id was
    /// there already (a redelivery), which only counts the delivery.
    public func receiveWebhookEvents(_ events: [IncomingWebhookEvent], at now: Timestamp) throws(StoreError) -> [Bool] {
        try write("store webhook events") { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO webhook_event (event_id, type, created, payload, received_at, deliveries, status, attempts)
                    VALUES (?, ?, ?, ?, ?, 1, 'received', 0)
                    ON CONFLICT(event_id) DO UPDATE SET deliveries = deliveries + 1
                    RETURNING deliveries
                    """)
            return try events.map { event in
                try Int.fetchOne(upsert, arguments: [event.id.rawValue, event.type, event.created, event.payload, now.microseconds]) == 1
            }
        }
    }

    /// Events to process now (received or deferred, due, tried fewer than `maxAttempts` times),
    /// oldest Stripe time first so that a payment precedes its refund when both are waiting.
    /// Without `now`, due or not (tests, and the benchmark's drain check).
    public func webhookEventsToProcess(limit: Int, maxAttempts: Int, at now: Timestamp?) throws(StoreError) -> [PendingWebhookEvent] {
        try read("list webhook events") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT event_id, payload FROM webhook_event WHERE status IN ('received', 'deferred') AND attempts < ?
                    AND next_attempt_at <= ? ORDER BY created, received_at, event_id LIMIT ?
                    """, arguments: [maxAttempts, now?.microseconds ?? Int64.max, limit]
            )
            .map { PendingWebhookEvent(id: EventID($0["event_id"] as String), payload: $0["payload"]) }
        }
    }

    /// Processes inbox events exactly once, several in one write transaction (one flush for the
    /// group). Each event runs in its own savepoint: it checks the event is still waiting, runs `body`,
    /// and marks the outcome. If `body` throws, nothing it wrote stays, and the attempt, the error and
    /// the time of the next try are recorded instead; the other events of the group are unaffected.
    /// Keep groups small: the write lock is also what webhook acknowledgements wait for.
    public func processWebhookEvents(
        _ ids: [EventID], at now: Timestamp,
        _ body: (any PaymentsTransaction, EventID, Data) throws -> WebhookDisposition
    )
        throws(StoreError) -> [EventID: WebhookOutcome]
    {
        try write("process webhook events") { db in
            var outcomes: [EventID: WebhookOutcome] = [:]
            for id in ids {
                guard
                    let row = try Row.fetchOneCached(
                        db, sql: "SELECT status, payload FROM webhook_event WHERE event_id = ?",
                        arguments: [id.rawValue]),
                    ["received", "deferred"].contains(row["status"] as String)
                else { outcomes[id] = .skipped; continue }
                do {
                    var disposition = WebhookDisposition.ignored
                    try db.inSavepoint {
                        disposition = try body(SQLitePaymentsTransaction(db: db, now: now), id, row["payload"])
                        try db.executeCached(
                            sql: """
                                UPDATE webhook_event SET status = ?, attempts = attempts + 1, error = NULL, next_attempt_at = ?,
                                processed_at = CASE WHEN ? = 'deferred' THEN NULL ELSE ? END WHERE event_id = ?
                                """,
                            arguments: [
                                disposition.rawValue, now.microseconds + WebhookRetry.delay(attempts: 0, deferred: true),
                                disposition.rawValue, now.microseconds, id.rawValue,
                            ])
                        return .commit
                    }
                    outcomes[id] = .done(disposition)
                } catch {
                    let reason = CardNumberMask.mask(String(describing: error))
                    try Self.recordWebhookFailure(db, id, reason: reason, at: now)
                    outcomes[id] = .failed(reason)
                }
            }
            return outcomes
        }
    }

    /// An attempt that failed before it reached the store (a Stripe call while preparing it).
    public func recordWebhookFailure(_ id: EventID, reason: String, at now: Timestamp) throws(StoreError) {
        try write("record webhook failure") { db in try Self.recordWebhookFailure(db, id, reason: CardNumberMask.mask(reason), at: now) }
    }

    static func recordWebhookFailure(_ db: Database, _ id: EventID, reason: String, at now: Timestamp) throws {
        let attempts = try Int.fetchOne(db, sql: "SELECT attempts FROM webhook_event WHERE event_id = ?", arguments: [id.rawValue]) ?? 0
        try db.execute(
            sql: "UPDATE webhook_event SET attempts = attempts + 1, error = ?, next_attempt_at = ? WHERE event_id = ?",
            arguments: [reason, now.microseconds + WebhookRetry.delay(attempts: attempts + 1, deferred: false), id.rawValue])
    }

    public func webhookEvents() throws(StoreError) -> [WebhookEventRecord] {
        try read("read webhook events") { db in
            try Row.fetchAll(db, sql: "SELECT event_id, type, status, deliveries, attempts, error FROM webhook_event ORDER BY created, event_id")
                .map {
                    WebhookEventRecord(
                        eventId: EventID($0["event_id"] as String), type: $0["type"], status: $0["status"],
                        deliveries: $0["deliveries"], attempts: $0["attempts"], error: $0["error"])
                }
        }
    }
}
