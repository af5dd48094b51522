import Foundation

exit(await LedgerBenchmark.main(CommandLine.arguments))
