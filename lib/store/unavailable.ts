import { asUnavailable } from "./errors";

/**
 * A store whose every repository call rejects with a DatabaseUnavailableError (./errors.ts) when
 * the database is the cause, whichever engine threw it: the one place the app's reactions hang on —
 * the receivers answer 503 with Retry-After (lib/api.ts) so the provider delivers again, a page
 * shows the "database unreachable" banner (its digest survives Next's production error scrubbing;
 * components/layout/page-error.tsx), background jobs back off (lib/repeat.ts). Other errors pass
 * through untouched.
 */
export function guardStore<S extends object>(store: S): S {
  const repos = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "object" || value === null) return value;
      let repo = repos.get(prop);
      if (!repo) {
        repo = guardRepo(value);
        repos.set(prop, repo);
      }
      return repo;
    },
  });
}

function guardRepo(repo: object): object {
  return new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        try {
          return Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args)).catch((e: unknown) => {
            throw asUnavailable(e);
          });
        } catch (e) {
          return Promise.reject(asUnavailable(e) as Error);
        }
      };
    },
  });
}
