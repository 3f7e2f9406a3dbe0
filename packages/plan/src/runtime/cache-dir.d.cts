/** Where the plan keeps what it caches (transpiled modules, V8 code): see cache-dir.cjs. */
export declare function cacheDir(): string;
