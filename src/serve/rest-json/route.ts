import type { AwsError } from "../../cloud/aws-error.ts";
import { decodeComponent } from "../uri.ts";

/** One operation's HTTP binding, as the service's API model gives it (see ../models/generate.ts). */
export interface RestJsonRoute {
  operation: string;
  method: string;
  /** URI template, e.g. "/memberships/{membershipIdentifier}/idmappingtables". */
  uri: string;
  /** HTTP status of a successful answer. */
  status: number;
  /** URI label → input member. */
  labels?: Record<string, string>;
  /** Query parameter → [input member, wire type]. */
  query?: Record<string, [string, string]>;
  /** Request header → [input member, wire type]. */
  headers?: Record<string, [string, string]>;
  /** Response header → [output member, wire type]. */
  outputHeaders?: Record<string, [string, string]>;
}

type Segment = { literal: string } | { label: string; greedy: boolean };

interface CompiledRoute {
  route: RestJsonRoute;
  segments: Segment[];
  literals: number;
}

export interface RouteMatch {
  route: RestJsonRoute;
  /** Input member → decoded label value. */
  labels: Record<string, string>;
}

/** Matches requests against URI templates; where two templates match, more literal segments win. */
export class RestRouter {
  private readonly byMethod = new Map<string, CompiledRoute[]>();

  constructor(routes: readonly RestJsonRoute[]) {
    for (const route of routes) {
      const segments = (route.uri.split("?")[0] ?? "")
        .split("/")
        .filter(Boolean)
        .map((part): Segment => {
          const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
          return label?.[1] ? { label: label[1], greedy: label[2] === "+" } : { literal: part };
        });
      const compiled = { route, segments, literals: segments.filter((s) => "literal" in s).length };
      const list = this.byMethod.get(route.method) ?? [];
      list.push(compiled);
      this.byMethod.set(route.method, list);
    }
    for (const list of this.byMethod.values()) list.sort((a, b) => b.literals - a.literals);
  }

  /** `rawPath` still percent-encoded, so an encoded "/" inside a label (an ARN) stays inside it. */
  match(method: string, rawPath: string, refuse: () => AwsError): RouteMatch | undefined {
    const parts = rawPath.split("/").filter(Boolean);
    for (const { route, segments } of this.byMethod.get(method) ?? []) {
      const labels = matchSegments(segments, parts);
      if (labels) {
        const members: Record<string, string> = {};
        for (const [label, value] of Object.entries(labels))
          members[route.labels?.[label] ?? label] = decodeComponent(value, refuse);
        return { route, labels: members };
      }
    }
    return undefined;
  }

  /** True when some route has this path under another method (405 rather than 404). */
  hasPath(rawPath: string): boolean {
    const parts = rawPath.split("/").filter(Boolean);
    for (const list of this.byMethod.values()) {
      if (list.some(({ segments }) => matchSegments(segments, parts))) return true;
    }
    return false;
  }
}

/** Label values stay percent-encoded here; match() decodes those of the route it picks. */
function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    if ("literal" in segment) {
      if (parts[i] !== segment.literal) return undefined;
      continue;
    }
    if (segment.greedy) {
      if (i >= parts.length) return undefined;
      labels[segment.label] = parts.slice(i).join("/");
      return labels;
    }
    const part = parts[i];
    if (part === undefined || part === "") return undefined;
    labels[segment.label] = part;
  }
  return parts.length === segments.length ? labels : undefined;
}
