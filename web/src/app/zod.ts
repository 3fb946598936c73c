/**
 * Zod compiles fast validators with `new Function` unless told not to. The Content-Security-Policy
 * (script-src 'self') forbids that, and merely probing for it is reported as a violation, so the
 * app runs Zod without it. Imported first in main.tsx, before any schema is built.
 */
import { config } from 'zod';

config({ jitless: true });
