import ArgumentParser
import AssayCLI

AssayCommand.bootstrapLogging()
await AssayCommand.main()
