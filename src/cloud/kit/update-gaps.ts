import { UPDATE_GAPS } from "../../schemas/deviations.ts";
import { notUpdatable } from "./aws-errors.ts";
import { jsonEqual, valueAt } from "./json-pointer.ts";

/**
 * Refuses (NotUpdatable) a desired state that changes a property the service's update operation
 * cannot change (src/schemas/deviations.ts UPDATE_GAPS). A property left out keeps its value, as
 * Cloud Control does for create-only ones.
 */
export function refuseUpdateGaps(
  typeName: string,
  current: Record<string, unknown>,
  desired: Record<string, unknown>,
): void {
  for (const gap of UPDATE_GAPS) {
    if (gap.typeName !== typeName) continue;
    const next = valueAt(desired, gap.property);
    if (next !== undefined && !jsonEqual(valueAt(current, gap.property), next)) {
      throw notUpdatable(
        `${gap.property} cannot be changed in place: ${gap.reason}. Replace the resource (delete and create) to change it.`,
      );
    }
  }
}
