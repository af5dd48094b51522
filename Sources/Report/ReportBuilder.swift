import Core
import Foundation
import Store

/// Reads a reconciled period from the store and lays it out as the report's tables.
/// Times are shown in the period's time zone; amounts in each row's own currency.
public struct ReportBuilder: Sendable {
    public static let discrepancyColumns = [
        "discrepancy_id", "kind", "severity", "order_id", "ledger_entry_id", "stripe_id", "currency", "expected_amount",
        "actual_amount", "difference", "first_seen", "age_days", "status", "note",
    ]

    let store: PayreconStore
    let period: ReportingPeriod
    let now: Timestamp

    let clock: ZoneClock

    public init(store: PayreconStore, period: ReportingPeriod, now: Timestamp) {
        self.store = store; self.period = period; self.now = now
        clock = ZoneClock(period.timeZone)
    }

    /// The report's sheets, Matched streamed from the store as it is written, and the Summary, made
    /// after the others have streamed by (it counts what they held) but shown first.
    public func book() throws(StoreError) -> ReportBook {
        let prefetch = ReportPrefetch(store: store, period: period)
        let discrepancies = try store.discrepancies(from: period.start, to: period.end)
        // Closed ones (their counterpart arrived) are history: a sheet of their own, out of the way.
        let acting = discrepancies.filter { $0.status != .closed }.sorted(by: Self.actionOrder)
        let closed = discrepancies.filter { $0.status == .closed }
        let stats = MatchStats()
        let sheets = [
            discrepancyTable(acting),
            payoutTable(prefetch),
            matchedTable(stats),
            stripeOnlyTable(acting),
            ledgerOnlyTable(acting),
            feesTable(acting),
            disputeTable(prefetch),
            discrepancyTable(closed, name: "Closed", fileName: "closed.csv"),
        ]
        return ReportBook(
            summary: { () throws(StoreError) in try summary(discrepancies: discrepancies, stats: stats, facts: prefetch.facts()) }, sheets: sheets)
    }

    /// Every table with its rows in memory, the Summary first: for small periods and tests.
    public func tables() throws -> [ReportTable] {
        let book = try book()
        let sheets = try book.sheets.map { try $0.materialized() }
        return [try book.summary()] + sheets
    }

    func localTime(_ time: Timestamp) -> String { ISO8601Time.formatWallClock(seconds: time.seconds + clock.offset(at: time.seconds)) }

    /// A time as a date cell in the report's zone (to the second).
    func timeCell(_ time: Timestamp) -> ReportCell { .time(localTime(time), serial: serial(time)) }

    /// A day as a date cell in the report's zone.
    func dayCell(_ time: Timestamp) -> ReportCell { .time(String(localTime(time).prefix(10)), serial: serial(time).rounded(.down)) }

    private func serial(_ time: Timestamp) -> Double {
        // 25,569 days from 1899-12-30 (the spreadsheet's day 0) to 1970-01-01.
        Double(time.seconds + clock.offset(at: time.seconds)) / 86_400 + 25_569
    }

    func discrepancyTable(_ items: [TrackedDiscrepancy], name: String = "Discrepancies", fileName: String = "discrepancies.csv") -> ReportTable {
        var table = ReportTable(name: name, fileName: fileName, columns: Self.discrepancyColumns)
        for item in items {
            let d = item.discrepancy
            var note = d.detail
            if let resolution = item.note { note += " | resolved by \(item.resolvedBy ?? "?"): \(resolution)" }
            table.rows.append([
                .text(d.id), .text(d.kind.rawValue), .text(d.severity.rawValue), .optionalText(d.orderId), .optionalText(d.ledgerEntryId),
                .optionalText(d.stripeId), .text(d.currency.code), .optionalMoney(d.expected, d.expectedCurrency ?? d.currency),
                .optionalMoney(d.actual, d.currency), .optionalMoney(d.difference, d.currency), timeCell(item.firstSeen),
                .integer(item.ageDays(now: now)), .text(item.status.rawValue), .text(note),
            ])
        }
        return table
    }

    static let matchedColumns = [
        "match_id", "rule", "key", "order_id", "ledger_entry_ids", "stripe_ids", "ledger_currency", "ledger_amount",
        "stripe_currency", "stripe_amount", "occurred_at", "stripe_authorized_amount", "settlement_currency", "fee", "net",
        "payout_ids",
    ]

    /// The period's matches, read from the store block by block as the sheet is written.
    func matchedTable(_ stats: MatchStats) -> ReportTable {
        ReportTable(name: "Matched", fileName: "matched.csv", columns: Self.matchedColumns) { emit in
            // A capture below its authorization shows both: stripe_amount is what was captured.
            let captures = try store.partialCaptures(from: period.start, to: period.end)
            try store.forEachMatch(from: period.start, to: period.end) { m in
                stats.add(m)
                let held = captures.authorized(for: m)
                let settled = m.settlement?.currency ?? m.stripeAmount.currency
                try emit([
                    .text(m.id), .text(m.rule.rawValue), .text(Self.render(m.key)), .optionalText(m.orderId),
                    .text(m.ledgerEntryIds.joined(separator: " ")),
                    .text(m.stripeIds.joined(separator: " ")), .text(m.ledgerAmount.currency.code),
                    .money(m.ledgerAmount.minorUnits, m.ledgerAmount.currency), .text(m.stripeAmount.currency.code),
                    .money(m.stripeAmount.minorUnits, m.stripeAmount.currency), timeCell(m.occurredAt),
                    held.map { .money($0, m.stripeAmount.currency) } ?? .empty,
                    .optionalText(m.settlement?.currency.code), .optionalMoney(m.settlement?.fee.minorUnits, settled),
                    .optionalMoney(m.settlement?.net.minorUnits, settled), .optionalText(m.settlement?.payoutIds.joined(separator: " ")),
                ])
            }
        }
    }

    /// Written after the streamed sheets (its sums come from the prefetch, which runs beside them) into
    /// a sheet added in its place.
    func payoutTable(_ prefetch: ReportPrefetch) -> ReportTable {
        var table = ReportTable(
            name: "Payouts", fileName: "payouts.csv",
            columns: [
                "payout_id", "created", "arrival_date", "status", "currency", "amount", "transaction_count", "transactions_net",
                "difference", "check",
            ]
        ) { emit in
            for summary in try prefetch.facts().payouts {
                let p = summary.payout
                let check = p.didFail ? "failed" : summary.transactionCount == 0 ? "not linked" : summary.difference == 0 ? "ok" : "mismatch"
                try emit([
                    .text(p.id.rawValue), timeCell(p.createdAt), p.arrivalDate.map { dayCell(Timestamp(seconds: $0)) } ?? .empty,
                    .text(p.status.rawValue), .text(p.currency.code), .money(p.amount, p.currency), .integer(Int64(summary.transactionCount)),
                    .money(summary.linkedNet, p.currency), .money(summary.difference, p.currency), .text(check),
                ])
            }
        }
        table.deferred = true
        return table
    }
}
