import Core
import Foundation
import PaymentsPostgres
import PaymentsStore
import TestSupport
import Testing

/// The PostgreSQL payments store as two replicas use it: two stores (two connection pools) on one
/// real database, started by the test on 127.0.0.1.
@Suite(.serialized) struct PostgresPaymentsStoreTests {
    static let server = Result { try PostgresServer() }
    let now = Timestamp(seconds: 1_767_225_600)

    /// Two replicas' stores on a database of the test's own.
    func replicas() throws -> (PostgresPaymentsStore, PostgresPaymentsStore, PostgresServer, String) {
        let server = try Self.server.get()
        let (url, name) = try server.freshDatabase()
        return (
            try PostgresPaymentsStore(url: url, variable: "TEST_PAYMENTS_URL"), try PostgresPaymentsStore(url: url, variable: "TEST_PAYMENTS_URL"),
            server, name
        )
    }

    /// Runs `body(n)` for n in 0..<count on `threads` threads of their own (blocking calls, as the store's are).
    func concurrently(_ count: Int, threads: Int = 8, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let failures = Locked<[String]>([])
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            Thread {
                var n = thread
                while n < count {
                    do { try body(n) } catch { failures.mutate { $0.append("\(n): \(error)") } }
                    n += threads
                }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(failures.value.isEmpty, "\(failures.value.prefix(5))")
    }

    @Test func historyIsAppendOnlyInTheDatabase() throws {
        let (store, other, server, database) = try replicas()
        defer { store.shutdown(); other.shutdown() }
        try store.appendAudit(AuditEntry(at: now, actor: "ops", action: "refund.requested", subject: "ord_1", after: "10.00 EUR"))
        _ = try store.withPaymentsTransaction(at: now) { tx in
            try tx.appendLedger(
                LedgerEntry(
                    entryId: "pay-ord_1", orderId: "ord_1", kind: .payment, amount: Money(minorUnits: 1000, currency: try Currency(code: "EUR")),
                    stripeId: "pi_1", createdAt: now, supplierId: "S-1"))
        }
        for statement in [
            "UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log", "TRUNCATE audit_log",
            "UPDATE ledger_entry SET amount = 1", "DELETE FROM ledger_entry", "TRUNCATE ledger_entry",
        ] {
            #expect(throws: PostgresServer.Failure.self, "\(statement) was allowed") { try server.psql(statement, database: database) }
            do { try server.psql(statement, database: database) } catch { #expect("\(error)".contains("is append-only"), "\(error)") }
        }
        let audit = try store.auditLog(from: now, to: now.adding(seconds: 1))
        #expect(audit.map(\.actor) == ["ops"])
        #expect(try store.ledgerEntries().map(\.amount.minorUnits) == [1000])
    }

    @Test func documentNumbersStayGaplessAcrossReplicasAndRollbacks() throws {
        let (first, second, _, _) = try replicas()
        defer { first.shutdown(); second.shutdown() }
        let eur = try Currency(code: "EUR")
        struct RolledBack: Error {}
        // 60 transactions on 8 threads, half on each replica; every fourth takes a number and then fails.
        try concurrently(60) { n in
            let store = n % 2 == 0 ? first : second
            do {
                try store.withPaymentsTransaction(at: now) { tx in
                    let number = try tx.nextDocumentNumber(.invoice)
                    if n % 4 == 3 { throw RolledBack() }
                    try tx.recordDocument(
                        DocumentRecord(
                            number: number, kind: .invoice, orderId: OrderID("ord_\(n)"), refundId: nil, total: Money(minorUnits: 100, currency: eur),
                            path: "/nowhere/\(number).pdf", sha256: String(repeating: "0", count: 64), createdAt: now))
                }
            } catch is RolledBack {}
        }
        let numbers = try (0..<60).flatMap { n in try first.documents(order: OrderID("ord_\(n)")).map(\.number) }.sorted()
        // 60 − 15 rolled back = 45 documents, numbered 1…45 with none twice and none missing.
        #expect(numbers == (1...45).map { DocumentRecord.Kind.invoice.number(Int64($0)) })
    }

    @Test func eachEventIsProcessedOnceByOneOfTwoReplicas() throws {
        let (first, second, _, _) = try replicas()
        defer { first.shutdown(); second.shutdown() }
        let events = (0..<300).map { n in
            IncomingWebhookEvent(
                id: EventID("evt_\(n)"), type: "payment_intent.succeeded", created: 1_000 + Int64(n), payload: Data("{\"n\": \(n)}".utf8))
        }
        #expect(try first.receiveWebhookEvents(events, at: now).allSatisfy { $0 })
        // The same events delivered to the other replica are redeliveries.
        #expect(try second.receiveWebhookEvents(events, at: now).allSatisfy { !$0 })
        let runs = Locked<[String: Int]>([:])
        let byReplica = Locked<[Int: Int]>([:])
        try concurrently(4, threads: 4) { worker in
            let store = worker % 2 == 0 ? first : second
            while true {
                let pending = try store.webhookEventsToProcess(limit: 500, maxAttempts: 5, at: now)
                if pending.isEmpty { break }
                for start in stride(from: 0, to: pending.count, by: 8) {
                    let ids = pending[start..<min(start + 8, pending.count)].map(\.id)
                    _ = try store.processWebhookEvents(ids, at: now) { tx, id, _ in
                        try tx.enqueue(.email, key: "mail-\(id.rawValue)", orderId: nil, payload: Array("mail".utf8))
                        runs.mutate { $0[id.rawValue, default: 0] += 1 }
                        byReplica.mutate { $0[worker % 2, default: 0] += 1 }
                        return .processed
                    }
                }
            }
        }
        #expect(runs.value.count == 300)
        #expect(runs.value.values.allSatisfy { $0 == 1 }, "an event ran twice")
        #expect(byReplica.value.keys.sorted() == [0, 1], "one replica did all the work: \(byReplica.value)")
        let records = try first.webhookEvents()
        #expect(records.allSatisfy { $0.status == "processed" && $0.deliveries == 2 && $0.attempts == 1 })
        #expect(try first.outboxItems().count == 300)
    }

    /// Another replica's claim can keep a row it did not take locked for its statement's length. The
    /// worker that holds the event's lease waits for that lock, rather than leaving the event undone
    /// until the lease runs out (30 s).
    @Test func aClaimedEventLockedForAMomentElsewhereIsWaitedForNotSkipped() throws {
        let (store, other, server, database) = try replicas()
        defer { store.shutdown(); other.shutdown() }
        _ = try store.receiveWebhookEvents(
            [IncomingWebhookEvent(id: "evt_held", type: "payment_intent.succeeded", created: 1, payload: Data("{}".utf8))], at: now)
        #expect(try store.webhookEventsToProcess(limit: 10, maxAttempts: 5, at: now).map(\.id) == ["evt_held"])
        let released = DispatchGroup()
        released.enter()
        Thread {
            _ = try? server.psql(
                "BEGIN; SELECT event_id FROM webhook_event WHERE event_id = 'evt_held' FOR UPDATE; SELECT pg_sleep(1); COMMIT", database: database)
            released.leave()
        }.start()
        defer { released.wait() }
        // Until psql holds the row, a read that skips locked rows still sees it.
        let deadline = Date().addingTimeInterval(10)
        while try server.psql("SELECT event_id FROM webhook_event WHERE event_id = 'evt_held' FOR UPDATE SKIP LOCKED", database: database)
            .contains("evt_held"), Date() < deadline
        {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let runs = Locked<Int>(0)
        let outcomes = try store.processWebhookEvents(["evt_held"], at: now) { _, _, _ in
            runs.mutate { $0 += 1 }
            return .processed
        }
        #expect(outcomes["evt_held"] == .done(.processed))
        #expect(runs.value == 1)
        #expect(try store.webhookEvents().map(\.status) == ["processed"])
    }

    @Test func aFailingHandlerLeavesOnlyItsAttemptAndTheRestOfTheGroupCommits() throws {
        let (store, other, _, _) = try replicas()
        defer { store.shutdown(); other.shutdown() }
        struct Boom: Error {}
        let ids: [EventID] = ["evt_a", "evt_b", "evt_c"]
        _ = try store.receiveWebhookEvents(
            ids.map { IncomingWebhookEvent(id: $0, type: "charge.refunded", created: 1, payload: Data("{}".utf8)) }, at: now)
        let outcomes = try store.processWebhookEvents(ids, at: now) { tx, id, _ in
            try tx.enqueue(.email, key: "mail-\(id.rawValue)", orderId: nil, payload: Array("m".utf8))
            if id == "evt_b" { throw Boom() }
            return id == "evt_c" ? .deferred : .processed
        }
        #expect(outcomes["evt_a"] == .done(.processed))
        #expect(outcomes["evt_c"] == .done(.deferred))
        guard case .failed(let reason)? = outcomes["evt_b"] else {
            Issue.record("evt_b did not fail: \(String(describing: outcomes["evt_b"]))"); return
        }
        #expect(reason.contains("Boom"))
        #expect(try store.outboxItems().map(\.dedupeKey) == ["mail-evt_a", "mail-evt_c"])
        let records = try store.webhookEvents()
        #expect(records.map(\.status) == ["processed", "received", "deferred"])
        #expect(records.map(\.attempts) == [1, 1, 1])
        #expect(records[1].error?.contains("Boom") == true)
        // The failed event is due again only after its backoff; the deferred one after a second.
        #expect(try store.webhookEventsToProcess(limit: 10, maxAttempts: 5, at: now).isEmpty)
        #expect(try store.webhookEventsToProcess(limit: 10, maxAttempts: 5, at: now.adding(seconds: 1)).map(\.id) == ["evt_c"])
    }

    @Test func concurrentRedeliveriesInOppositeOrdersNeitherDeadlockNorDoubleCount() throws {
        let (first, second, _, _) = try replicas()
        defer { first.shutdown(); second.shutdown() }
        let events = (0..<40).map { n in IncomingWebhookEvent(id: EventID("evt_\(n)"), type: "charge.refunded", created: 1, payload: Data("{}".utf8))
        }
        let fresh = Locked<[String: Int]>([:])
        // 16 deliveries of all 40 events, concurrently, half in reverse order, on both replicas.
        try concurrently(16) { n in
            let store = n % 2 == 0 ? first : second
            let group = n % 4 < 2 ? events : events.reversed()
            let new = try store.receiveWebhookEvents(group, at: now)
            for (event, isNew) in zip(group, new) where isNew { fresh.mutate { $0[event.id.rawValue, default: 0] += 1 } }
        }
        #expect(fresh.value.count == 40)
        #expect(fresh.value.values.allSatisfy { $0 == 1 })
        #expect(try first.webhookEvents().map(\.deliveries) == [Int](repeating: 16, count: 40))
    }

    @Test func outboxItemsGoToOneReplicaAtATimeUntilTheLeaseEnds() throws {
        let (first, second, _, _) = try replicas()
        defer { first.shutdown(); second.shutdown() }
        try first.withPaymentsTransaction(at: now) { tx in
            for n in 0..<50 { try tx.enqueue(.email, key: "mail-\(n)", orderId: OrderID("ord_\(n)"), payload: Array("m".utf8)) }
        }
        // A few at a time (8), each to one replica: the first asks, the second asks, and so on.
        var a: [OutboxItem] = []
        var b: [OutboxItem] = []
        while true {
            let mine = try first.dueOutboxItems(at: now, limit: 30)
            let theirs = try second.dueOutboxItems(at: now, limit: 30)
            if mine.isEmpty && theirs.isEmpty { break }
            #expect(mine.count <= 8 && theirs.count <= 8)
            a += mine
            b += theirs
        }
        #expect(a.count + b.count == 50)
        #expect(Set(a.map(\.id)).isDisjoint(with: b.map(\.id)))
        #expect(try first.dueOutboxItems(at: now.adding(seconds: 10), limit: 50).isEmpty, "items handed out twice within the lease")
        for item in a { try first.markOutboxDelivered(item.id, at: now) }
        // Replica b "died" with its items: after the lease other replicas take them, and only them.
        var retaken: [OutboxItem] = []
        while case let batch = try first.dueOutboxItems(at: now.adding(seconds: 61), limit: 50), !batch.isEmpty { retaken += batch }
        #expect(Set(retaken.map(\.id)) == Set(b.map(\.id)))
    }

    @Test func refundReservationsFromBothReplicasNeverExceedThePayment() throws {
        let (first, second, _, _) = try replicas()
        defer { first.shutdown(); second.shutdown() }
        let eur = try Currency(code: "EUR")
        try first.withPaymentsTransaction(at: now) { tx in
            try tx.insertOrder(
                OrderRecord(
                    orderId: "ord_R", quoteId: "Q-R", paymentIntentId: "pi_R", chargeId: "ch_R", amount: Money(minorUnits: 10_000, currency: eur),
                    cardBrand: "visa", cardLast4: "4242", paidAt: now, invoiceNumber: "INV-000001", createdAt: now))
        }
        let reserved = Locked<Int>(0)
        try concurrently(12) { n in
            let store = n % 2 == 0 ? first : second
            if case .reserved = try store.reserveRefund(requestKey: "req-\(n)", order: "ord_R", amount: 3_000, reason: nil, at: now) {
                reserved.mutate { $0 += 1 }
            }
        }
        // 100.00 paid: three refunds of 30.00 fit, a fourth would not.
        #expect(reserved.value == 3)
        if case .exceedsRemaining(let remaining) = try first.reserveRefund(
            requestKey: "req-last", order: "ord_R", amount: 1_001, reason: nil, at: now)
        {
            #expect(remaining.minorUnits == 1_000)
        } else {
            Issue.record("a refund beyond what remains was reserved")
        }
    }

    @Test func badConnectionStringsAreNamedWithoutTheirPassword() throws {
        #expect {
            try PostgresPaymentsStore(url: "mysql://user:hunter2secret@127.0.0.1/x", variable: "PAYMENTS_DATABASE_URL")
        } throws: { error in
            "\(error)".contains("PAYMENTS_DATABASE_URL: not a postgres:// URL") && !"\(error)".contains("hunter2secret")
        }
        let closed = try PostgresServer.freePort()
        #expect {
            try PostgresPaymentsStore(url: "postgres://user:hunter2secret@127.0.0.1:\(closed)/x", variable: "PAYMENTS_DATABASE_URL")
        } throws: { error in
            "\(error)".contains("cannot reach the database") && !"\(error)".contains("hunter2secret")
        }
        #expect {
            try PostgresPaymentsStore.fromEnvironment(variable: "PAYMENTS_DATABASE_URL", environment: [:])
        } throws: { error in
            "\(error)".contains("set PAYMENTS_DATABASE_URL")
        }
    }
}

/// A value several threads change under a lock.
final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
