import Core
import Extract
import Foundation
import Reconcile
import Sandbox
import SandboxData
import Store

/// What `demo` prints: counts, totals, discrepancies by kind beside what was planted, and the files.
struct DemoSummary {
    let account: SandboxAccount
    let extracted: StripeExtractor.Summary
    let imported: Int
    let result: ReconcileResult
    let totals: [CategoryTotal]
    let files: [URL]

    func print() {
        Swift.print("payrecon demo: \(account.firstDay) to \(account.lastDay) (UTC)")
        Swift.print(
            "extracted: " + extracted.counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                + "; \(extracted.payoutsLinked) payouts linked")
        Swift.print("ledger: \(imported) entries imported")
        Swift.print("totals (settlement currency):")
        for total in totals {
            Swift.print(
                "  \(total.category.padding(toLength: 24, withPad: " ", startingAt: 0)) \(total.currency.code)  "
                    + "count \(total.count)  gross \(DecimalAmount.format(total.gross, currency: total.currency))  "
                    + "fee \(DecimalAmount.format(total.fee, currency: total.currency))  net \(DecimalAmount.format(total.net, currency: total.currency))"
            )
        }
        Swift.print("matches: \(result.matches.count)")
        let found = Dictionary(grouping: result.discrepancies, by: \.kind.rawValue).mapValues(\.count)
        let planted = Dictionary(grouping: account.truth, by: \.kind).mapValues(\.count)
        Swift.print("discrepancies: \(result.discrepancies.count) found, \(account.truth.count) planted")
        for kind in DiscrepancyKind.allCases {
            Swift.print(
                "  \(kind.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0)) found \(found[kind.rawValue] ?? 0)  planted \(planted[kind.rawValue] ?? 0)"
            )
        }
        printShapes()
        Swift.print("files:")
        for file in files { Swift.print("  \(file.path)") }
    }

    /// Each planted money shape, what it must give (a kind, or nothing) and whether it did: a silent
    /// shape passes when no discrepancy names its subject, a flagged one when its kind names it.
    private func printShapes() {
        var named: [String: Set<String>] = [:]
        for d in result.discrepancies {
            named[d.subjectId, default: []].insert(d.kind.rawValue)
            if let stripeId = d.stripeId { named[stripeId, default: []].insert(d.kind.rawValue) }
        }
        Swift.print("money shapes (planted: what payrecon must report):")
        for (shape, planted) in Dictionary(grouping: account.shapes, by: \.shape).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let right = planted.count { item in
                let kinds = named[item.subjectId] ?? []
                return item.flagged.map { kinds == [$0] } ?? kinds.isEmpty
            }
            let expected = planted[0].flagged ?? "nothing"
            Swift.print(
                "  \(shape.rawValue.padding(toLength: 36, withPad: " ", startingAt: 0)) \(planted.count) planted, "
                    + "\(expected.padding(toLength: 24, withPad: " ", startingAt: 0)) \(right == planted.count ? "ok" : "WRONG: \(planted.count - right)")"
            )
        }
    }
}
