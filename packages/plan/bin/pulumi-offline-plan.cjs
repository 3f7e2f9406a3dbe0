#!/usr/bin/env node
"use strict";
// The plan is TypeScript: its own loader makes it loadable before anything else runs.
require("../src/runtime/typescript-hook.cjs");
require("../src/bin.ts").runFromConfig(process.argv.slice(2));
