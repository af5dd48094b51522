import Foundation

// reconcile-bench prepare --orders N --db FILE   builds the store from the synthetic account (not timed)
// reconcile-bench run --db FILE [--repeat K]     times the reconcile stage: load, match, write, peak RSS
exit(ReconcileBenchmark.main(Array(CommandLine.arguments.dropFirst())))
