import Foundation

exit(LedgerBenchmark.main(CommandLine.arguments))
