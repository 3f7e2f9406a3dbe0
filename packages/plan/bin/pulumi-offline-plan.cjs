#!/usr/bin/env node
"use strict";
/* oxlint-disable typescript/no-require-imports -- a CommonJS command that must load the TypeScript hook before the plan's TypeScript: require is its only import */
// The plan is TypeScript: its own loader makes it loadable before anything else runs.
// oxlint-disable-next-line import/no-unassigned-import -- loaded for what it does: it teaches Node to load .ts
require("../src/runtime/typescript-hook.cjs");
require("../src/bin.ts").runFromConfig(process.argv.slice(2));
