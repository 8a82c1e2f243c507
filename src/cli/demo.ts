// `eigenopt demo ...` commands (SpIN experiments). Filled in by the SpIN work.
import type { Command } from 'commander';

export function registerDemoCommands(program: Command): void {
  void program;
}
