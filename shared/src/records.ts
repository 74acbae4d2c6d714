// Lookups in plain-object tables keyed by names from user code (identifiers, package names, config values): own
// properties only, so that `toString`, `constructor` or `__proto__` never finds Object.prototype's.

/** The table's own entry for `key`, or undefined. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
