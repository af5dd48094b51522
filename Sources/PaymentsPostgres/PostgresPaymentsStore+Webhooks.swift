import Core
import Foundation
import PaymentsStore
import PostgresNIO

extension PostgresPaymentsStore {
    /// Events handed to one worker at a time: small, so that replicas share a backlog.
    static let claimBatch = 64

    /// Stores verified events before they are acknowledged, in one statement (durable: PostgreSQL
    /// flushes its log at commit), whatever the group's size. Rows are inserted in event-id order, so
    /// two replicas storing overlapping groups lock in the same order and never deadlock. Redeliveries
    /// (an id already stored, or twice in the group) are counted in a row of their own.
    public func receiveWebhookEvents(_ events: [IncomingWebhookEvent], at now: Timestamp) throws -> [Bool] {
        var copies: [EventID: Int64] = [:]
        var unique: [IncomingWebhookEvent] = []
        for event in events {
            if copies[event.id] == nil { unique.append(event) }
            copies[event.id, default: 0] += 1
        }
        let inserted = try run("store webhook events") { session in
            try session.rows(
                """
                WITH incoming AS (
                    SELECT * FROM unnest(\(unique.map(\.id.rawValue))::text[], \(unique.map(\.type))::text[], \(unique.map(\.created))::bigint[],
                                         \(unique.map { ByteBuffer(data: $0.payload) })::bytea[], \(unique.map { copies[$0.id] ?? 1 })::bigint[])
                      AS i(event_id, type, created, payload, copies)),
                inserted AS (
                    INSERT INTO webhook_event (event_id, type, created, payload, received_at, status, attempts, next_attempt_at)
                    SELECT event_id, type, created, payload, \(now.microseconds), 'received', 0, 0 FROM incoming ORDER BY event_id
                    ON CONFLICT (event_id) DO NOTHING RETURNING event_id),
                repeats AS (
                    SELECT event_id, copies - CASE WHEN event_id IN (SELECT event_id FROM inserted) THEN 1 ELSE 0 END AS count FROM incoming),
                counted AS (
                    INSERT INTO webhook_redelivery (event_id, count) SELECT event_id, count FROM repeats WHERE count > 0 ORDER BY event_id
                    ON CONFLICT (event_id) DO UPDATE SET count = webhook_redelivery.count + EXCLUDED.count)
                SELECT event_id FROM inserted
                """
            ).map { try $0.string("event_id") }
        }
        // The first delivery of each new id in the group is the new one.
        var fresh = Set(inserted)
        return events.map { fresh.remove($0.id.rawValue) != nil }
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

    /// Processes events exactly once, a group per transaction. The group's rows are locked first
    /// (`FOR UPDATE`, in event-id order), and only those still waiting are processed: one another
    /// replica finished meanwhile is skipped. Handlers seldom fail, so a group first runs without
    /// savepoints (two round trips an event); if a handler throws, that transaction is rolled back and
    /// the group runs again with a savepoint per event, where a failing handler leaves nothing behind
    /// but its recorded attempt.
    public func processWebhookEvents(
        _ ids: [EventID], at now: Timestamp,
        _ body: (any PaymentsTransaction, EventID, Data) throws -> WebhookDisposition
    ) throws -> [EventID: WebhookOutcome] {
        do {
            return try write("process webhook events") { session in try Self.process(ids, session, at: now, isolated: false, body) }
        } catch is HandlerFailed {
            return try write("process webhook events") { session in try Self.process(ids, session, at: now, isolated: true, body) }
        }
    }

    /// A handler threw in a group run without savepoints: run the group again with them.
    struct HandlerFailed: Error {}

    static func process(
        _ ids: [EventID], _ session: PostgresSession, at now: Timestamp, isolated: Bool,
        _ body: (any PaymentsTransaction, EventID, Data) throws -> WebhookDisposition
    ) throws -> [EventID: WebhookOutcome] {
        let tx = PostgresPaymentsTransaction(session: session, now: now)
        var outcomes: [EventID: WebhookOutcome] = [:]
        // One round trip locks the group's rows that are still waiting. It waits for a row another
        // transaction holds rather than skipping it. The holder is either another replica's claim, whose
        // scan can keep rows it did not take locked for the statement's few milliseconds (when skipped,
        // this worker's own events stayed leased, and undone, for 30 s), or a replica that took the event
        // over after its lease ran out: once that one commits, the event is no longer waiting and is not
        // returned. Groups lock in event-id order and claims never wait, so no two lockers deadlock.
        var waiting: [String: Data] = [:]
        for row in try session.rows(
            """
            SELECT event_id, payload FROM webhook_event
            WHERE event_id = ANY(\(ids.map(\.rawValue))::text[]) AND status IN ('received', 'deferred') ORDER BY event_id FOR UPDATE
            """)
        {
            waiting[try row.string("event_id")] = try row.bytes("payload")
        }
        var done: [(id: String, disposition: String)] = []
        for id in ids {
            guard let payload = waiting[id.rawValue] else {
                outcomes[id] = .skipped
                continue
            }
            do {
                let disposition = try isolated ? session.savepoint { try body(tx, id, payload) } : body(tx, id, payload)
                done.append((id.rawValue, disposition.rawValue))
                outcomes[id] = .done(disposition)
            } catch {
                guard isolated else { throw HandlerFailed() }
                let reason = CardNumberMask.mask(String(describing: error))
                try recordWebhookFailure(session, id, reason: reason, at: now)
                outcomes[id] = .failed(reason)
            }
        }
        // Every outcome in one statement; a deferred event is looked at again in a second.
        try session.execute(
            """
            UPDATE webhook_event AS e SET status = d.status, attempts = e.attempts + 1, error = NULL,
              next_attempt_at = \(now.microseconds + WebhookRetry.delay(attempts: 0, deferred: true)),
              processed_at = CASE WHEN d.status = 'deferred' THEN NULL ELSE \(now.microseconds) END
            FROM unnest(\(done.map(\.id))::text[], \(done.map(\.disposition))::text[]) AS d(event_id, status)
            WHERE e.event_id = d.event_id
            """)
        return outcomes
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
