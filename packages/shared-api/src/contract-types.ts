// How the client names a contract's types: what a caller sends is the schema's input (defaults
// and coercions still optional), what the API returns is the schema's output.
import type { z } from 'zod';

export type Input<Schema extends z.ZodType> = z.input<Schema>;
export type Output<Schema extends z.ZodType> = z.output<Schema>;
