import Core
import Foundation
import Reconcile

/// Reads a fee schedule (fixtures/fee-schedule.json's or fixtures/fee-schedule.us.json's format); no
/// path: the named pricing preset (US when none is named).
public enum FeeScheduleFile {
    public static func load(_ path: String?, preset: String? = nil) throws -> FeeSchedule {
        guard let path else { return try preset.map { name throws(FeeScheduleError) in try PricingPreset(name: name).schedule } ?? .standard }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FeeScheduleError(description: "cannot read fee schedule \(path)")
        }
        do { return try JSONDecoder().decode(FeeSchedule.self, from: data) } catch {
            throw FeeScheduleError(description: "\(path): not a fee schedule (see fixtures/fee-schedule.json): \(DecodingProblem.describe(error))")
        }
    }
}
