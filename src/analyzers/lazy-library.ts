// A library loaded on first need rather than at start-up: the CLI pays for a parser only when a file needs it.
// Analyzers start the load in `prepare` (the engine awaits it before their first file) and use the library
// synchronously in `analyze`. Importers must be static-string `import("name")` calls so that bundlers follow them.

export interface LazyLibrary<T> {
  /** Starts the load, or joins the one under way; resolves once `get` can hand the library out. */
  load(): Promise<void>;
  /** The loaded library; throws when `load` has not finished (an analyzer forgot it in `prepare`). */
  get(): T;
}

export function lazyLibrary<T>(name: string, importer: () => Promise<T>): LazyLibrary<T> {
  let state: { value: T } | { error: unknown } | undefined;
  let loading: Promise<void> | undefined;
  return {
    load: () =>
      (loading ??= importer().then(
        (value) => {
          state = { value };
        },
        (error: unknown) => {
          state = { error };
          throw error;
        },
      )),
    get() {
      if (!state) throw new Error(`${name} is not loaded: the analyzer must list its loader in \`prepare\``);
      if ("error" in state) throw new Error(`${name} could not load: ${errorText(state.error)}`);
      return state.value;
    },
  };
}

/** Runs several loaders at once: an analyzer's `prepare` when it needs more than one library. */
export async function loadAll(...loaders: (() => Promise<void>)[]): Promise<void> {
  await Promise.all(loaders.map((load) => load()));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
