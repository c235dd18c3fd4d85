// Placeholder entry point; the CLI arrives with its own files.
print("spate")
