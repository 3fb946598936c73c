/** The query key prefix of the organisation console: every key about one organisation starts with ['organisation', orgId]. */
export const organisationKey = (orgId: string) => ['organisation', orgId] as const;
