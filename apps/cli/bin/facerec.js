#!/usr/bin/env node
// The CLI is written in TypeScript and run from source, like the service: register tsx, then load it.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
