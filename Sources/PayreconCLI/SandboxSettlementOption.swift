import ArgumentParser
import Reconcile

/// How the sandbox's account settles: `usd` (a US account: everything settles in USD, priced by the
/// US preset) or `local` (JPY and KWD settle in themselves, priced by fixtures/fee-schedule.json's
/// schedule, `FeeSchedule.localSettlement`).
struct SandboxSettlementOption: ParsableArguments {
    @Option(name: .long, help: "usd (a US account, the default) or local (JPY and KWD settle in themselves).")
    var settlement: String = "usd"

    func validate() throws {
        guard ["usd", "local"].contains(settlement) else { throw ValidationError("--settlement must be usd or local") }
    }

    var settlesLocally: Bool { settlement == "local" }
    var feeSchedule: FeeSchedule { settlesLocally ? .localSettlement : .standard }
}
