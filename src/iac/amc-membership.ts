import type { App } from "./app.ts";

/**
 * The Clean Rooms membership to associate namespaces with: AMC_MEMBERSHIP_ID when set (on AWS, the
 * membership of your AMC collaboration: `idbridge amc collaboration` or the Clean Rooms console),
 * else the only membership Cloud Control lists (the local cloud's built-in AMC membership).
 */
export async function amcMembershipId(app: App, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.AMC_MEMBERSHIP_ID) return env.AMC_MEMBERSHIP_ID;
  const memberships = await app.listResources("AWS::CleanRooms::Membership");
  if (memberships.length === 1) return memberships[0]!.identifier;
  throw new Error(
    memberships.length === 0
      ? "no Clean Rooms membership found: accept your AMC collaboration first, then set AMC_MEMBERSHIP_ID"
      : `${memberships.length} Clean Rooms memberships found: set AMC_MEMBERSHIP_ID to the one of your AMC collaboration`,
  );
}
