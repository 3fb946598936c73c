/** The console's answer shapes, by capability. */
export * from './types-org.ts';
export * from './types-billing.ts';
export * from './types-clinical.ts';
