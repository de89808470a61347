// AssayExport: work in progress
