import Core
import Foundation
import TestSupport
import Testing

@testable import Store

/// Callers tell failures apart by `StoreError.code`, not by reading the message.
@Suite struct StoreErrorCodeTests {
    static func scratch() -> String { TestScratch.directory.appendingPathComponent("codes-\(UUID().uuidString).sqlite").path }

    @Test func aBrokenConstraintIsConstraintAndTheMessageKeepsTheBoundValuesOut() throws {
        let store = try PayreconStore(path: Self.scratch())
        let error = #expect(throws: StoreError.self) {
            try store.write("insert twice") { db in
                for _ in 0..<2 {
                    try db.execute(
                        sql: "INSERT INTO run (id, stage, started_at, status, parameters) VALUES (1, 'x', 0, 'running', ?)",
                        arguments: ["secret-parameter"])
                }
            }
        }
        #expect(error?.code == .constraint)
        #expect(error?.code.sqliteCode == 19)
        #expect(error?.description.contains("secret-parameter") == false)
    }

    @Test func aFileThatIsNotAStoreIsNotADatabase() throws {
        let path = Self.scratch()
        try Data(String(repeating: "not sqlite ", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try PayreconStore(path: path) }
        #expect(error?.code == .notADatabase)
        #expect(error?.description.contains(path) == true)
    }

    @Test func extendedResultCodesFoldIntoTheirKind() {
        // SQLITE_BUSY_SNAPSHOT (517), SQLITE_CONSTRAINT_UNIQUE (2067), SQLITE_IOERR_FSYNC (1034), SQLITE_CANTOPEN (14).
        #expect(StoreError.Code(sqliteResultCode: 517) == .busy)
        #expect(StoreError.Code(sqliteResultCode: 2067) == .constraint)
        #expect(StoreError.Code(sqliteResultCode: 1034) == .io)
        #expect(StoreError.Code(sqliteResultCode: 14) == .io)
        #expect(StoreError.Code(sqliteResultCode: 1) == .other)
        #expect(StoreError.Code(sqliteResultCode: 2067).description == "constraint (SQLite 19)")
    }
}
