// The `eigenopt` command line. Thin: parses flags and calls library functions.
import { Command } from 'commander';
import { registerDemoCommands } from './demo';
import { registerDiscoverCommands } from './discover';
import { registerEvaluateCommand } from './evaluate';
import { registerAgentCommand } from './agent';
import { registerRolloutCommand } from './rollout';
import { registerTrainCommand } from './train';
import { registerOptionsCommand } from './options_cmd';
import { registerBenchmarkCommands } from './benchmark';

export async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program.name('eigenopt').description('Eigenoption discovery toolkit');
  registerDiscoverCommands(program);
  registerEvaluateCommand(program);
  registerAgentCommand(program);
  registerDemoCommands(program);
  registerRolloutCommand(program);
  registerTrainCommand(program);
  registerOptionsCommand(program);
  registerBenchmarkCommands(program);
  await program.parseAsync(argv);
}
