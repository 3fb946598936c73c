/** Client-side checks of the subscription page's forms, mirroring the server's (src/subscriptions/schemas.ts). */
import { z } from 'zod';
import { NAME_MAX } from '../accounts/schemas.ts';
import { personEmail } from '../memberships/schemas.ts';

export const COST_ACKNOWLEDGEMENT = 'I understand each colleague adds a licence to my monthly bill';

/** R-SUB-2: a colleague is added only once the subscriber ticked the acknowledgement of the extra cost. */
export const addColleagueSchema = z.object({
  name: z.string().trim().min(1, "Enter your colleague's name.").max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
  email: personEmail,
  acknowledgeCost: z.boolean().refine((ticked) => ticked, 'Tick the box to confirm that each colleague adds a licence to your monthly bill.'),
});

export type AddColleagueValues = z.input<typeof addColleagueSchema>;
