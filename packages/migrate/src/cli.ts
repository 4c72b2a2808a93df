#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { runCommand } from './commands/run';

const USAGE = `Usage: athanor <command> [options]

Commands:
  init                                    write athanor.config.ts and migrations/
  revision -m <message> [--autogenerate] [--head <rev>] [--branch-label <label>] [--depends-on <rev>]
  upgrade <target> [--sql]                head, heads, <rev>, <prefix>, +N, <rev>+N, <label>, <from>:<to> with --sql
  downgrade <target> [--sql]              base, -N, <rev>, <rev>-N; --sql needs <from>:<to>
  current | heads | branches | history [--verbose] | show <rev>
  merge -m <message> <rev> <rev>...
  stamp <target>
  check                                   exit 1 when the database at head and the metadata differ
  codegen [--orm] [--out <file>]          reflect the database into TypeScript Tables (or mapped classes)

Options:
  --url <url>     database URL (else ATHANOR_DATABASE_URL, else the config's url)
  --echo          print every statement run (stdout)
  -h, --help      this text
`;

async function main(argv: string[]): Promise<number> {
  // "-1" is a relative target, not an option.
  const relative = argv.filter((a, i) => i > 0 && /^-\d+$/.test(a));
  const rest = argv.filter((a, i) => !(i > 0 && /^-\d+$/.test(a)));
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      message: { type: 'string', short: 'm' },
      autogenerate: { type: 'boolean' },
      head: { type: 'string' },
      'branch-label': { type: 'string', multiple: true },
      'depends-on': { type: 'string', multiple: true },
      'rev-id': { type: 'string' },
      sql: { type: 'boolean' },
      url: { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      orm: { type: 'boolean' },
      out: { type: 'string' },
      echo: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  args.push(...relative);
  if (values.help || !command || command === 'help') {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 1;
  }
  return runCommand(command, args, values, { cwd: process.cwd(), out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const message = String(error?.message ?? error).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`athanor: error: ${message}\n`);
    if (process.env.ATHANOR_DEBUG) process.stderr.write(`${error?.stack ?? ''}\n`);
    process.exitCode = 1;
  },
);
