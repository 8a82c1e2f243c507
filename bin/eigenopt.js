#!/usr/bin/env node
'use strict';
require('../dist/cli/index.js').main(process.argv).catch((err) => {
  process.stderr.write(`eigenopt: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
