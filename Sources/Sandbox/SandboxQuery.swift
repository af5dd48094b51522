import Foundation

/// A decoded query string. Written here because Hummingbird leaves keys percent-encoded,
/// and Stripe's keys are bracketed (`created%5Bgte%5D`, `expand%5B%5D`).
struct SandboxQuery {
    private(set) var items: [(key: String, value: String)] = []

    init(_ raw: String?) {
        for pair in (raw ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            items.append((decode(parts[0]), parts.count > 1 ? decode(parts[1]) : ""))
        }
    }

    subscript(key: String) -> String? { items.last { $0.key == key }?.value }
    func all(_ key: String) -> [String] { items.filter { $0.key == key }.map(\.value) }
}
