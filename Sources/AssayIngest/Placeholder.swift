// AssayIngest: work in progress
