import Core
import Foundation
import Reconcile

/// Reads a fee schedule (fixtures/fee-schedule.json's format); no path: Stripe's standard pricing.
public enum FeeScheduleFile {
    public static func load(_ path: String?) throws -> FeeSchedule {
        guard let path else { return .standard }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FeeScheduleError(description: "cannot read fee schedule \(path)")
        }
        do { return try JSONDecoder().decode(FeeSchedule.self, from: data) } catch {
            throw FeeScheduleError(description: "\(path): not a fee schedule (see fixtures/fee-schedule.json): \(DecodingProblem.describe(error))")
        }
    }
}
