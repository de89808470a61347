import AssayCLI
await AssayCommand.main()
