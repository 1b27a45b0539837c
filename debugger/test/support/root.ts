// The repository root for tests: one implementation for every suite, in test/support/root.ts.
export { repoRoot } from '../../../test/support/root';
