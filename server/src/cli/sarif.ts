// SARIF 2.1.0 output for code-scanning services: one run, the rule catalogue in tool.driver.rules,
// one result per finding with a 1-based region (columns in characters, SARIF's default unit).
import type { RuleMeta, Severity } from '../analysis/types';
import type { Finding } from './format';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** Forward slashes, percent-encoded: SARIF artifact locations are URI references. */
function toUri(file: string): string {
  const path = file.replace(/\\/g, '/');
  return path.split('/').map((p, i) => (i === 0 && /^[A-Za-z]:$/.test(p) ? p : encodeURIComponent(p))).join('/');
}

/** The SARIF log for a check run. */
export function formatSarif(findings: readonly Finding[], rules: readonly RuleMeta[], version: string): string {
  const index = new Map(rules.map((r, i) => [r.code, i]));
  const log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'coroscope',
          version,
          rules: rules.map((r) => ({
            id: r.code,
            name: r.name,
            shortDescription: { text: r.summary },
            defaultConfiguration: { level: LEVEL[r.severity] },
            properties: { equivalents: r.equivalents, tags: ['asyncio'] },
          })),
        },
      },
      columnKind: 'unicodeCodePoints',
      results: findings.map((f) => ({
        ruleId: f.code,
        ruleIndex: index.get(f.code),
        level: LEVEL[f.severity as Severity] ?? 'warning',
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: toUri(f.file), ...(f.file.startsWith('/') ? {} : { uriBaseId: '%SRCROOT%' }) },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        }],
      })),
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
