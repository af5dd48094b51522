import Core

extension ReportBuilder {
    /// A match's key as people read it: the id, or "12.34 USD ±48h" for the amount-and-window rule.
    static func render(_ key: MatchKey) -> String {
        switch key {
        case .id(let id): id
        case .amountWithin(let amount, let hours):
            "\(DecimalAmount.format(amount.minorUnits, currency: amount.currency)) \(amount.currency.code) ±\(hours)h"
        }
    }
}
