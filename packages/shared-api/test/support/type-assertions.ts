// Compile-time checks that the client's types are the contracts' types: `npm run typecheck`
// compiles the tests, so a contract change the client does not follow fails the build.

export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export function assertType<_T extends true>(): void {}
/** The N-th parameter of a function type. */
export type Arg<F, N extends number = 0> = F extends (...args: infer P) => unknown ? P[N] : never;
/** What a function type's promise resolves to. */
export type Result<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;
