#!/usr/bin/env node
// The command is compiled from src/cli/main.ts (npm install runs the build).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
