import AssayCLI

await AssayCommand.runAsMain()
