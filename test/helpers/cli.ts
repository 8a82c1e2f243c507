// Runs `eigenopt ...` in-process for tests: stdout lines captured (demo runs also silence stderr progress).
import { Command } from 'commander';
import { main } from '../../cli';
import { registerDemoCommands } from '../../cli/demo';

/** Runs `eigenopt <args>` through the CLI's main() and returns the lines it printed on stdout. */
export async function runCli(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => {
    lines.push(a.map(String).join(' '));
  };
  try {
    await main(['node', 'eigenopt', ...args]);
  } finally {
    console.log = orig;
  }
  return lines;
}

/** Runs `eigenopt demo <args>` for each argument list (a fresh program per run: commander keeps
 *  option values between parses), capturing stdout lines and the error of each run (null when it
 *  succeeded). */
export async function runDemoCli(runs: string[][]): Promise<{ lines: string[]; errors: (Error | null)[] }> {
  const lines: string[] = [];
  const errors: (Error | null)[] = [];
  const orig = console.log;
  const origErr = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => { lines.push(a.map(String).join(' ')); };
  (process.stderr as unknown as { write: (s: string) => boolean }).write = () => true;
  try {
    for (const args of runs) {
      const program = new Command();
      program.exitOverride();
      registerDemoCommands(program);
      try {
        await program.parseAsync(['node', 'eigenopt', 'demo', ...args]);
        errors.push(null);
      } catch (e) {
        errors.push(e as Error);
      }
    }
  } finally {
    console.log = orig;
    (process.stderr as unknown as { write: typeof origErr }).write = origErr;
  }
  return { lines, errors };
}
