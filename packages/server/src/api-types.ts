import type { z } from 'zod';
import type { errorAnswer, pageOf } from './api/query-schemas.js';
import type { Delivery } from './dispatch/delivery-schemas.js';
import type { eventDetailSchema, storedEventSchema } from './events/event-schemas.js';

// The answers of the API, as its clients read them: the outputs of the routes' response schemas, so a
// client that imports them compiles against what the gateway answers (docs/openapi.json).

/** A page of a list: the items, newest first, and the cursor of the next page (null on the last). */
export type ApiPage<T> = z.output<ReturnType<typeof pageOf<z.ZodType<T>>>>;

/** One stored event, as `GET /api/events` lists it and the live tail sends it. */
export type ApiEvent = z.output<typeof storedEventSchema>;

/** A page of `GET /api/events`. */
export type ApiEventPage = ApiPage<ApiEvent>;

/** A page of `GET /api/deliveries`. */
export type ApiDeliveryPage = ApiPage<Delivery>;

/**
 * `GET /api/events/{id}`: the event with its body as received (`raw`, UTF-8 text), the body parsed
 * (`payload`), its kept headers and its deliveries.
 */
export type ApiEventDetail = Omit<z.output<ReturnType<typeof eventDetailSchema>>, 'deliveries'> & {
  deliveries: Delivery[];
};

/** The body of every refusal: a stable `LH_ERR_*` code and a message. */
export type ApiError = z.output<typeof errorAnswer>;
