// The language server entry point (placeholder until the LSP wiring lands).
console.error('serverless-lint language server: not implemented yet');
