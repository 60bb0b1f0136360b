// What every azora-ops command receives: its --flags, its bare words and the environment.
export interface CommandInput {
  readonly flags: Readonly<Record<string, string>>;
  readonly words: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}
