import Core

/// A ledger file that cannot be imported, with every problem found (up to a cap), each
/// naming its file, line, column and field. Nothing was written.
public struct LedgerImportError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String {
        "ledger import failed; the store is unchanged:\n" + diagnostics.map { "  \($0)" }.joined(separator: "\n")
    }
}
