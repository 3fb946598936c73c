import { z } from 'zod';
import { defineContract } from '../platform/http/contract.ts';

/**
 * Webhooks (R-INT-4): endpoints of a practitioner (their own patients' events) or of an
 * organisation (the events of its practice), signed per the Standard Webhooks specification, with
 * a delivery log and resend. The signing secret is answered once, when it is made or rotated.
 */

export const WEBHOOK_EVENT_TYPES = ['programme.assigned', 'session.recorded', 'pain.reported', 'message.received', 'patient.transferred', 'practitioner.access_removed'] as const;
export type WebhookEventTypeName = (typeof WEBHOOK_EVENT_TYPES)[number];
/** The event a "Send test event" sends: to that endpoint alone, whatever it subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** Plain words for each event, as the screens and the OpenAPI description show them. */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEventTypeName, string> = {
  'programme.assigned': 'A programme was assigned to a patient',
  'session.recorded': 'A patient recorded an exercise or a session',
  'pain.reported': 'A patient rated their pain',
  'message.received': 'A patient sent a message',
  'patient.transferred': 'A patient was transferred to another practitioner',
  'practitioner.access_removed': "A practitioner's access was removed",
};

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

const urlField = z
  .string()
  .trim()
  .min(1, { message: 'Enter the address Motus sends the events to.' })
  .max(2000, { message: 'The address is at most 2,000 characters.' })
  .describe('An https address (http and internal addresses only where the operator allows them).');
const descriptionField = z.string().trim().max(200, { message: 'The description is at most 200 characters.' });
const eventsField = z
  .array(webhookEventTypeSchema)
  .min(1, { message: 'Choose at least one event to send.' })
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((events) => new Set(events).size === events.length, { message: 'Each event is chosen once.' });

export const endpointView = z.object({
  id: z.uuid(),
  owner: z.enum(['practitioner', 'organisation']),
  url: z.string(),
  description: z.string(),
  events: z.array(webhookEventTypeSchema),
  enabled: z.boolean(),
  disabledAt: z.iso.datetime().nullable(),
  /** by_owner: switched off by hand; failing: switched off by Motus after days of failed deliveries. */
  disabledReason: z.enum(['by_owner', 'failing']).nullable(),
  /** Since when every attempt has failed; null while the endpoint answers. */
  failingSince: z.iso.datetime().nullable(),
  secretRotatedAt: z.iso.datetime().nullable(),
  /** Until then requests are signed with the previous secret too (R-INT-4: secret rotation). */
  previousSecretExpiresAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type EndpointView = z.infer<typeof endpointView>;

/** An endpoint with its signing secret: the one and only showing of that secret. */
export const endpointWithSecretView = z.object({
  endpoint: endpointView,
  /** `whsec_…`: verify each request's webhook-signature with it. Shown once. */
  secret: z.string(),
});

export const attemptView = z.object({
  at: z.iso.datetime(),
  trigger: z.enum(['scheduled', 'resend']),
  /** The HTTP status the endpoint answered; null when no answer came (see error). */
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});

export const deliveryView = z.object({
  id: z.uuid(),
  /** The webhook-id header: the same on every attempt and resend of this event. */
  eventId: z.string(),
  eventType: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.iso.datetime().nullable(),
  nextAttemptAt: z.iso.datetime().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  /** The latest attempts, newest first (at most 10). */
  log: z.array(attemptView),
});
export type DeliveryView = z.infer<typeof deliveryView>;

export const createEndpointBody = z.strictObject({
  url: urlField,
  description: descriptionField.default(''),
  events: eventsField,
});
export type CreateEndpointInput = z.infer<typeof createEndpointBody>;

export const updateEndpointBody = z.strictObject({
  url: urlField.optional(),
  description: descriptionField.optional(),
  events: eventsField.optional(),
  /** Switch the endpoint off and on; switching it on starts its failure count afresh. */
  enabled: z.boolean().optional(),
});
export type UpdateEndpointInput = z.infer<typeof updateEndpointBody>;

export const deliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const endpointId = z.uuid({ message: 'Not a webhook id.' });
const deliveryId = z.uuid({ message: 'Not a delivery id.' });
const orgId = z.string().max(64);
export const ownEndpointParams = z.strictObject({ endpointId });
export const ownDeliveryParams = z.strictObject({ endpointId, deliveryId });
export const orgWebhookParams = z.strictObject({ orgId });
export const orgEndpointParams = z.strictObject({ orgId, endpointId });
export const orgDeliveryParams = z.strictObject({ orgId, endpointId, deliveryId });

const endpointExample = { url: 'https://pms.example.com/motus/webhooks', description: 'Practice PMS', events: ['programme.assigned', 'session.recorded'] };
const updateExample = { events: ['programme.assigned', 'session.recorded', 'pain.reported'], enabled: true };
const tags = ['webhooks'];
const signingNote =
  'Each request is a POST of JSON { type, timestamp, data } with the Standard Webhooks headers webhook-id, webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of "id.timestamp.body"> for each secret in force). A 2xx answer is a delivery; anything else is retried with back-off for three days.';

const listResponse = z.object({ endpoints: z.array(endpointView) });
const oneResponse = z.object({ endpoint: endpointView });
const deliveryResponse = z.object({ delivery: deliveryView });
const logResponse = z.object({ deliveries: z.array(deliveryView), total: z.number().int() });
const summaries = {
  get: 'One webhook endpoint',
  update: 'Change the address, the description or the events of an endpoint, or switch it off and on',
  remove: 'Delete an endpoint with its delivery log',
  rotate: 'Make a new signing secret (answered once); for 24 hours requests carry a signature with the previous one too',
  test: `Send a ${TEST_EVENT_TYPE} event to this endpoint now (one attempt, no retries)`,
  deliveries: 'The delivery log of an endpoint, newest first, with the status code of each attempt',
  resend: 'Send an event again now, with the same webhook-id (a receiver that saw it already may drop it)',
};

/**
 * A practitioner's own endpoints (/api/me/webhooks): reading the list and the log, and deleting,
 * need a session only, so someone without a licence can still stop what they set up; adding, changing
 * and sending need a licence that lets them work now, like making an API key (R-INT-3).
 */
const own = {
  list: defineContract({ method: 'GET', path: '/api/me/webhooks', access: 'signedIn', tags, summary: 'Your webhook endpoints: events about your own patients (R-INT-4)', response: listResponse }),
  get: defineContract({ method: 'GET', path: '/api/me/webhooks/:endpointId', access: 'signedIn', tags, summary: summaries.get, params: ownEndpointParams, response: oneResponse }),
  create: defineContract({
    method: 'POST',
    path: '/api/me/webhooks',
    access: 'practitioner',
    tags,
    summary: 'Add a webhook endpoint for events about your patients; its signing secret is answered once',
    description: signingNote,
    body: createEndpointBody,
    example: endpointExample,
    status: 201,
    response: endpointWithSecretView,
  }),
  update: defineContract({ method: 'PATCH', path: '/api/me/webhooks/:endpointId', access: 'practitioner', tags, summary: summaries.update, params: ownEndpointParams, body: updateEndpointBody, example: updateExample, response: oneResponse }),
  remove: defineContract({ method: 'DELETE', path: '/api/me/webhooks/:endpointId', access: 'signedIn', tags, summary: summaries.remove, params: ownEndpointParams, status: 204, response: null }),
  rotate: defineContract({ method: 'POST', path: '/api/me/webhooks/:endpointId/rotate-secret', access: 'practitioner', tags, summary: summaries.rotate, params: ownEndpointParams, response: endpointWithSecretView }),
  test: defineContract({ method: 'POST', path: '/api/me/webhooks/:endpointId/test', access: 'practitioner', tags, summary: summaries.test, params: ownEndpointParams, status: 202, response: deliveryResponse }),
  deliveries: defineContract({ method: 'GET', path: '/api/me/webhooks/:endpointId/deliveries', access: 'signedIn', tags, summary: summaries.deliveries, params: ownEndpointParams, query: deliveriesQuery, response: logResponse }),
  resend: defineContract({ method: 'POST', path: '/api/me/webhooks/:endpointId/deliveries/:deliveryId/resend', access: 'practitioner', tags, summary: summaries.resend, params: ownDeliveryParams, status: 202, response: deliveryResponse }),
} as const;

/** An organisation's endpoints: events of its practice, managed by the owner and admins holding Users. */
const org = {
  list: defineContract({ method: 'GET', path: '/api/organisations/:orgId/webhooks', access: 'org:users', tags, summary: "The organisation's webhook endpoints: events of its practice (R-INT-4)", params: orgWebhookParams, response: listResponse }),
  get: defineContract({ method: 'GET', path: '/api/organisations/:orgId/webhooks/:endpointId', access: 'org:users', tags, summary: summaries.get, params: orgEndpointParams, response: oneResponse }),
  create: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/webhooks',
    access: 'org:users',
    tags,
    summary: "Add a webhook endpoint for the practice's events; its signing secret is answered once",
    description: signingNote,
    params: orgWebhookParams,
    body: createEndpointBody,
    example: endpointExample,
    status: 201,
    response: endpointWithSecretView,
  }),
  update: defineContract({ method: 'PATCH', path: '/api/organisations/:orgId/webhooks/:endpointId', access: 'org:users', tags, summary: summaries.update, params: orgEndpointParams, body: updateEndpointBody, example: updateExample, response: oneResponse }),
  remove: defineContract({ method: 'DELETE', path: '/api/organisations/:orgId/webhooks/:endpointId', access: 'org:users', tags, summary: summaries.remove, params: orgEndpointParams, status: 204, response: null }),
  rotate: defineContract({ method: 'POST', path: '/api/organisations/:orgId/webhooks/:endpointId/rotate-secret', access: 'org:users', tags, summary: summaries.rotate, params: orgEndpointParams, response: endpointWithSecretView }),
  test: defineContract({ method: 'POST', path: '/api/organisations/:orgId/webhooks/:endpointId/test', access: 'org:users', tags, summary: summaries.test, params: orgEndpointParams, status: 202, response: deliveryResponse }),
  deliveries: defineContract({ method: 'GET', path: '/api/organisations/:orgId/webhooks/:endpointId/deliveries', access: 'org:users', tags, summary: summaries.deliveries, params: orgEndpointParams, query: deliveriesQuery, response: logResponse }),
  resend: defineContract({ method: 'POST', path: '/api/organisations/:orgId/webhooks/:endpointId/deliveries/:deliveryId/resend', access: 'org:users', tags, summary: summaries.resend, params: orgDeliveryParams, status: 202, response: deliveryResponse }),
} as const;

export const webhookContracts = { own, org } as const;
