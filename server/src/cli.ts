// `coroscope` — the command-line checker for CI. Same analysis core as the language server.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze, initAnalysis, RULES } from './analysis';
import { parseArgs, USAGE, UsageError, type Command } from './cli/args';
import { collectPythonFiles, MissingPathError } from './cli/files';
import { formatJson, formatText, toFindings, type Finding } from './cli/format';
import { formatSarif } from './cli/sarif';
import { mergeOptions, ProjectConfigCache } from './config/pyproject';
import { moduleOf, WorkspaceModules } from './project/workspace';
import { version } from '../../package.json';

async function check(command: Extract<Command, { kind: 'check' }>): Promise<number> {
  const files = collectPythonFiles(command.paths);
  await initAnalysis();
  const projects = new ProjectConfigCache();
  // Every checked file's import root takes part in cross-file resolution.
  const workspace = new WorkspaceModules();
  for (const file of files) workspace.addRoot(moduleOf(resolve(file)).root);
  const findings: Finding[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      process.stderr.write(`coroscope: cannot read ${file}: ${(err as Error).message}\n`);
      continue;
    }
    // Command-line flags win over the nearest pyproject.toml's [tool.coroscope].
    const options = mergeOptions({ select: command.select, ignore: command.ignore, pythonVersion: command.pythonVersion }, projects.forFile(resolve(file)));
    const diagnostics = analyze(text, { ...options, exhaustive: command.exhaustive, project: workspace.contextFor(resolve(file)) });
    findings.push(...toFindings(file, text, diagnostics));
  }
  const output = command.format === 'json' ? formatJson(findings)
    : command.format === 'sarif' ? formatSarif(findings, RULES.map((r) => r.meta), version)
      : formatText(findings, files.length);
  process.stdout.write(output);
  return findings.length ? 1 : 0;
}

function rules(format: 'text' | 'json'): number {
  const metas = RULES.map((r) => r.meta);
  if (format === 'json') process.stdout.write(JSON.stringify(metas, null, 2) + '\n');
  else process.stdout.write(metas.map((m) => `${m.code}  ${m.name.padEnd(28)} ${m.severity.padEnd(8)} ${m.summary}`).join('\n') + '\n');
  return 0;
}

/** Runs the CLI and resolves to its exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`coroscope: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  switch (command.kind) {
    case 'help': process.stdout.write(USAGE + '\n'); return 0;
    case 'rules': return rules(command.format);
    case 'check':
      try {
        return await check(command);
      } catch (err) {
        if (!(err instanceof MissingPathError)) throw err;
        process.stderr.write(`coroscope: ${err.message}\n`);
        return 2;
      }
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`coroscope: internal error: ${(err as Error)?.stack ?? err}\n`); process.exitCode = 2; },
);
