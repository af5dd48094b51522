import Core
import Foundation
import PaymentsStore
import PostgresNIO

extension PostgresPaymentsStore {
    /// Events handed to one worker at a time: small, so that replicas share a backlog.
    static let claimBatch = 64

    /// Stores verified events in one transaction before they are acknowledged (durable: PostgreSQL
    /// flushes its log at commit). Inserted in event-id order, so two replicas storing overlapping
    /// groups lock in the same order and never deadlock. A redelivery is counted in a row of its own.
    public func receiveWebhookEvents(_ events: [IncomingWebhookEvent], at now: Timestamp) throws -> [Bool] {
        try write("store webhook events") { session in
            var fresh = [Bool](repeating: false, count: events.count)
            let order = events.indices.sorted { (events[$0].id.rawValue, $0) < (events[$1].id.rawValue, $1) }
            for index in order {
                let event = events[index]
                fresh[index] =
                    try session.execute(
                        """
                        INSERT INTO webhook_event (event_id, type, created, payload, received_at, status, attempts, next_attempt_at)
                        VALUES (\(event.id.rawValue), \(event.type), \(event.created), \(event.payload), \(now.microseconds), 'received', 0, 0)
                        ON CONFLICT (event_id) DO NOTHING
                        """) == 1
                if !fresh[index] {
                    try session.execute(
                        """
                        INSERT INTO webhook_redelivery (event_id, count) VALUES (\(event.id.rawValue), 1)
                        ON CONFLICT (event_id) DO UPDATE SET count = webhook_redelivery.count + 1
                        """)
                }
            }
            return fresh
        }
    }

    /// With `now`: hands due events to this worker, oldest Stripe time first, for a lease (they are not
    /// due again meanwhile), skipping those another replica holds. Without: every waiting event (tests).
    public func webhookEventsToProcess(limit: Int, maxAttempts: Int, at now: Timestamp?) throws -> [PendingWebhookEvent] {
        let rows: [PostgresRandomAccessRow]
        if let now {
            rows = try write("claim webhook events") { session in
                try session.rows(
                    """
                    UPDATE webhook_event SET next_attempt_at = \(now.microseconds + eventLeaseMicroseconds)
                    WHERE event_id IN (
                        SELECT event_id FROM webhook_event
                        WHERE status IN ('received', 'deferred') AND attempts < \(Int64(maxAttempts)) AND next_attempt_at <= \(now.microseconds)
                        ORDER BY created, received_at, event_id LIMIT \(Int64(min(limit, Self.claimBatch))) FOR UPDATE SKIP LOCKED)
                    RETURNING event_id, payload, created, received_at
                    """)
            }
        } else {
            rows = try run("list webhook events") { session in
                try session.rows(
                    """
                    SELECT event_id, payload, created, received_at FROM webhook_event
                    WHERE status IN ('received', 'deferred') AND attempts < \(Int64(maxAttempts))
                    ORDER BY created, received_at, event_id LIMIT \(Int64(limit))
                    """)
            }
        }
        let events = try rows.map { row in
            (
                created: try row.int64("created"), received: try row.int64("received_at"), id: try row.string("event_id"),
                payload: try row.bytes("payload")
            )
        }
        return events.sorted { ($0.created, $0.received, $0.id) < ($1.created, $1.received, $1.id) }
            .map { PendingWebhookEvent(id: EventID($0.id), payload: $0.payload) }
    }

    /// Processes events exactly once, a group per transaction, each in a savepoint. An event's row is
    /// locked first (`FOR UPDATE SKIP LOCKED`): one another replica is processing is skipped, not waited
    /// for, and one it finished is no longer waiting. A handler that throws leaves nothing behind but
    /// its recorded attempt.
    public func processWebhookEvents(
        _ ids: [EventID], at now: Timestamp,
        _ body: (any PaymentsTransaction, EventID, Data) throws -> WebhookDisposition
    ) throws -> [EventID: WebhookOutcome] {
        try write("process webhook events") { session in
            let tx = PostgresPaymentsTransaction(session: session, now: now)
            var outcomes: [EventID: WebhookOutcome] = [:]
            for id in ids {
                guard
                    let row = try session.row("SELECT status, payload FROM webhook_event WHERE event_id = \(id.rawValue) FOR UPDATE SKIP LOCKED"),
                    ["received", "deferred"].contains(try row.string("status"))
                else {
                    outcomes[id] = .skipped
                    continue
                }
                let payload = try row.bytes("payload")
                do {
                    let disposition = try session.savepoint {
                        let disposition = try body(tx, id, payload)
                        let processedAt: Int64? = disposition == .deferred ? nil : now.microseconds
                        try session.execute(
                            """
                            UPDATE webhook_event SET status = \(disposition.rawValue), attempts = attempts + 1, error = NULL,
                              next_attempt_at = \(now.microseconds + WebhookRetry.delay(attempts: 0, deferred: true)), processed_at = \(processedAt)
                            WHERE event_id = \(id.rawValue)
                            """)
                        return disposition
                    }
                    outcomes[id] = .done(disposition)
                } catch {
                    let reason = CardNumberMask.mask(String(describing: error))
                    try Self.recordWebhookFailure(session, id, reason: reason, at: now)
                    outcomes[id] = .failed(reason)
                }
            }
            return outcomes
        }
    }

    public func recordWebhookFailure(_ id: EventID, reason: String, at now: Timestamp) throws {
        try write("record webhook failure") { session in try Self.recordWebhookFailure(session, id, reason: CardNumberMask.mask(reason), at: now) }
    }

    static func recordWebhookFailure(_ session: PostgresSession, _ id: EventID, reason: String, at now: Timestamp) throws {
        let attempts = try session.row("SELECT attempts FROM webhook_event WHERE event_id = \(id.rawValue)").map { try $0.int64("attempts") } ?? 0
        try session.execute(
            """
            UPDATE webhook_event SET attempts = attempts + 1, error = \(reason),
              next_attempt_at = \(now.microseconds + WebhookRetry.delay(attempts: Int(attempts) + 1, deferred: false))
            WHERE event_id = \(id.rawValue)
            """)
    }

    public func webhookEvents() throws -> [WebhookEventRecord] {
        try run("read webhook events") { session in
            try session.rows(
                """
                SELECT e.event_id, e.type, e.status, 1 + COALESCE(r.count, 0) AS deliveries, e.attempts, e.error
                FROM webhook_event e LEFT JOIN webhook_redelivery r ON r.event_id = e.event_id ORDER BY e.created, e.event_id
                """
            ).map { row in
                WebhookEventRecord(
                    eventId: EventID(try row.string("event_id")), type: try row.string("type"), status: try row.string("status"),
                    deliveries: Int(try row.int64("deliveries")), attempts: Int(try row.int64("attempts")), error: try row.optionalString("error"))
            }
        }
    }
}
