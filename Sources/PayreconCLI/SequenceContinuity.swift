import Core
import Foundation
import PaymentsStore
import Store

/// Before serve moves to PostgreSQL: refuses a payments database that would number invoices or credit
/// notes again from where the SQLite store it replaces already went. An accountant must never see one
/// document number twice, and nothing copies the SQLite payments tables over yet.
enum SequenceContinuity {
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    static func check(postgres: any PaymentsStore, sqlitePath: String) throws {
        guard !sqlitePath.isEmpty, FileManager.default.fileExists(atPath: sqlitePath) else { return }
        let sqlite = try PayreconStore(path: sqlitePath, create: false)
        let epoch = Timestamp(microseconds: 0)
        for kind in DocumentRecord.Kind.allCases {
            let issued = DocumentRecord.Kind.sequence(of: try sqlite.readPayments(at: epoch) { try $0.peekNextDocumentNumber(kind) }) - 1
            let next = DocumentRecord.Kind.sequence(of: try postgres.readPayments(at: epoch) { try $0.peekNextDocumentNumber(kind) })
            guard next <= issued else { continue }
            throw Refusal(
                description: """
                    postgres_url_env: the payments database would number from \(kind.number(next)), but \(sqlitePath) \
                    has issued up to \(kind.number(issued)) and numbers must not repeat. Copy the payments tables over first, \
                    or continue the sequence in PostgreSQL: INSERT INTO document_sequence (kind, last) VALUES \
                    ('\(kind.rawValue)', \(issued)) ON CONFLICT (kind) DO UPDATE SET last = EXCLUDED.last
                    """)
        }
    }
}
