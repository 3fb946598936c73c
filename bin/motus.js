#!/usr/bin/env node
// `npx motus …`: the operator tool. Runs the TypeScript sources on Node's own type stripping.
import '../src/cli/main.ts';
