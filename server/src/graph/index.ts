// The cross-file analysis entry point: module resolution, installed-package facts and the module graph.
export { ModuleGraph, isRuntimeEdge, type ChainHop, type ChainQuery, type GraphLimits, type NodeOnlyChain } from './graph';
export { Resolver, conditionsFor, resolveExports, packageNameOf, type Resolution } from './resolve';
export { PackageInspector, type PackageReport, type PackageSite } from './packages';
export { summarizeModule, type ModuleImport, type ModuleSummary } from './summary';
