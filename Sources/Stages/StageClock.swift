import Core
import Foundation

/// The wall clock, in one place so that every stage stamps the same kind of time.
public enum StageClock {
    @Sendable public static func now() -> Timestamp {
        Timestamp(microseconds: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down)))
    }
}
