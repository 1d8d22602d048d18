/**
 * Process-wide singletons. Next may evaluate a module once per route bundle (and
 * instrumentation.ts has its own module graph), so state that must be shared across routes
 * — caches, clients, the database handle, background jobs — lives on globalThis under a key.
 */
const registry = ((globalThis as { __tether?: Map<string, unknown> }).__tether ??= new Map<string, unknown>());

export function singleton<T>(key: string, create: () => T): T {
  if (!registry.has(key)) registry.set(key, create());
  return registry.get(key) as T;
}

/** Test hook: drop one singleton (or all). */
export function resetSingleton(key?: string): void {
  if (key === undefined) registry.clear();
  else registry.delete(key);
}
