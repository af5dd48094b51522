import Core
import Store

extension ReportBuilder {
    public static let summaryColumns = ["section", "item", "currency", "count", "gross", "fee", "net", "note", "rate"]

    /// Totals by reporting category and currency, the match rate, and open discrepancies by kind.
    /// The "Open discrepancies" rows come last so that the chart can point at one block.
    func summary(discrepancies: [TrackedDiscrepancy], stats: MatchStats, facts: ReportPrefetch.Facts) -> ReportTable {
        var table = ReportTable(name: "Summary", fileName: "summary.csv", columns: Self.summaryColumns)
        table.rows.append([
            .text("Period"), .text("\(period.firstDay) to \(period.lastDay)"), .empty, .empty, .empty, .empty, .empty,
            .text("time zone \(period.timeZoneName); generated \(localTime(now))"),
        ])
        table.rows += freshness(facts)
        table.rows += balanceRows(facts.categories)
        table.rows += disputeRows(facts.disputes)
        let ledgerCounts = facts.ledgerCounts
        let ledgerTotal = ledgerCounts.values.reduce(0, +)
        let matchedEntries = stats.matchedLedgerEntries
        let ruleCounts = stats.byRule
        table.rows.append([
            .text("Matching"), .text("ledger entries in period"), .empty, .integer(Int64(ledgerTotal)),
            .empty, .empty, .empty, .text(ledgerCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
        ])
        table.rows.append([
            .text("Matching"), .text("matches"), .empty, .integer(Int64(stats.count)), .empty, .empty, .empty,
            .text(ruleCounts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")),
        ])
        let rate = Self.rate(matchedEntries, of: ledgerTotal)
        table.rows.append([
            .text("Matching"), .text("match rate"), .empty, .integer(Int64(matchedEntries)), .empty, .empty, .empty,
            .text((rate == .empty ? "n/a" : rate.csvText) + " of ledger entries matched"), rate,
        ])
        let open = discrepancies.filter { $0.status == .open }
        let byKind = Dictionary(grouping: open, by: \.discrepancy.kind)
        table.rows += Self.atStake(byKind)
        for kind in DiscrepancyKind.allCases {
            let items = byKind[kind] ?? []
            table.rows.append([
                .text("Open discrepancies"), .text(kind.rawValue), .empty, .integer(Int64(items.count)), .empty, .empty,
                .empty, .text("severity \(kind.severity.rawValue); one row per \(kind.subject)"),
            ])
        }
        let width = table.columns.count
        table.rows = table.rows.map { $0 + Array(repeating: .empty, count: max(0, width - $0.count)) }
        return table
    }

    /// The period's balance activity as Stripe's balance and payout reconciliation summaries lay it
    /// out, per settlement currency: each reporting category (charges, refunds, disputes first, then the
    /// rest), the activity's total, the payouts (and their reversals), and the net change in the balance.
    func balanceRows(_ categories: [CategoryTotal]) -> [[ReportCell]] {
        let payoutCategories: Set<String> = ["payout", "payout_reversal"]
        let leading = ["charge", "refund", "dispute", "dispute_reversal", "refund_failure", "fee"]
        func rank(_ category: String) -> Int { leading.firstIndex(of: category) ?? leading.count }
        func row(_ item: String, _ count: Int, _ gross: Int64, _ fee: Int64, _ net: Int64, _ currency: Currency, _ note: String) -> [ReportCell] {
            [
                .text("Balance"), .text(item), .text(currency.code), .integer(Int64(count)), .money(gross, currency), .money(fee, currency),
                .money(net, currency), .text(note),
            ]
        }
        func total(_ item: String, _ totals: [CategoryTotal], _ currency: Currency, _ note: String) -> [ReportCell] {
            row(
                item, totals.reduce(0) { $0 + $1.count }, totals.reduce(0) { $0 + $1.gross }, totals.reduce(0) { $0 + $1.fee },
                totals.reduce(0) { $0 + $1.net }, currency, note)
        }
        var rows: [[ReportCell]] = []
        for (currency, totals) in Dictionary(grouping: categories, by: \.currency).sorted(by: { $0.key.code < $1.key.code }) {
            let activity = totals.filter { !payoutCategories.contains($0.category) }.sorted {
                (rank($0.category), $0.category) < (rank($1.category), $1.category)
            }
            for t in activity {
                let note = t.category == "fee" ? "account fees without a source (Radar, billing): not checked against the schedule" : ""
                rows.append(row(t.category, t.count, t.gross, t.fee, t.net, currency, note))
            }
            rows.append(total("total activity", activity, currency, "every category above"))
            let payouts = totals.filter { payoutCategories.contains($0.category) }.sorted { $0.category < $1.category }
            for t in payouts { rows.append(row(t.category, t.count, t.gross, t.fee, t.net, currency, "")) }
            rows.append(total("net change in balance", totals, currency, "activity less payouts: what the period left in the balance"))
        }
        return rows
    }

    /// How fresh the data is: the newest Stripe object and ledger entry the store holds, and the runs
    /// that brought them.
    func freshness(_ facts: ReportPrefetch.Facts) -> [[ReportCell]] {
        let provenance = facts.provenance
        let runs = facts.runs.filter { $0.status == "succeeded" }
        func run(_ stage: String) -> String {
            guard let last = runs.last(where: { $0.stage == stage }), let finished = last.finishedAt else { return "no \(stage) run yet" }
            return "\(stage) run \(last.id), finished \(localTime(finished))"
        }
        let newestStripe = provenance.stripeWatermarks.values.max().map { Timestamp(seconds: $0) }
        func row(_ item: String, _ newest: Timestamp?, _ stage: String) -> [ReportCell] {
            [.text("Data"), .text(item), .empty, .empty, .empty, .empty, .empty, .text("\(newest.map(localTime) ?? "none"); \(run(stage))")]
        }
        return [
            row("newest Stripe object", newestStripe, "extract"),
            row("newest ledger entry", provenance.newestLedgerEntry, "ledger_import"),
        ]
    }

    /// The money at stake in the open discrepancies, per kind and currency: a difference where both sides
    /// have an amount, else the one side's amount (money one side has and the other does not).
    static func atStake(_ byKind: [DiscrepancyKind: [TrackedDiscrepancy]]) -> [[ReportCell]] {
        var rows: [[ReportCell]] = []
        for kind in DiscrepancyKind.allCases {
            let byCurrency = Dictionary(grouping: byKind[kind] ?? [], by: \.discrepancy.currency)
            for currency in byCurrency.keys.sorted(by: { $0.code < $1.code }) {
                let items = byCurrency[currency]!
                let stake = items.reduce(Int64(0)) { $0 + Self.stake($1.discrepancy) }
                rows.append([
                    .text("At stake"), .text(kind.rawValue), .text(currency.code), .integer(Int64(items.count)), .money(stake, currency), .empty,
                    .empty, .text("open; a difference where both sides have an amount, else the amount one side has"),
                ])
            }
        }
        return rows
    }

    static func stake(_ d: Discrepancy) -> Int64 {
        if let difference = d.difference, difference != 0 { return abs(difference) }
        return abs(d.actual ?? d.expected ?? 0)
    }

    /// Rows of the "Open discrepancies" block (1-based sheet rows, header is row 0), for the chart.
    static func openDiscrepancyRows(in table: ReportTable) -> ClosedRange<Int>? {
        let rows = table.rows.indices.filter { table.rows[$0].first == .text("Open discrepancies") }
        guard let first = rows.first, let last = rows.last else { return nil }
        return (first + 1)...(last + 1)
    }

    /// A share as a percentage cell, to the nearest basis point; empty when there is no whole.
    static func rate(_ part: Int, of whole: Int) -> ReportCell {
        guard whole > 0 else { return .empty }
        return .percent(Int64((part * 10_000 + whole / 2) / whole))
    }
}
