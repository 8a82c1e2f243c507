// The `eigenopt` command line. Thin: parses flags and calls library functions.
import { Command } from 'commander';
import { registerDemoCommands } from './demo';

export async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program.name('eigenopt').description('Eigenoption discovery toolkit');
  registerDemoCommands(program);
  await program.parseAsync(argv);
}
