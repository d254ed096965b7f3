import { AwsError } from "../aws-error.ts";

/**
 * A small IAM policy evaluator for the local cloud: identity (inline) policies and trust policies.
 * Supports Effect Allow/Deny, Action/NotAction and Resource/NotResource with IAM's wildcards
 * ("*" any run, "?" one character; actions case-insensitive, ARNs case-sensitive) and Principal
 * matching for service principals. An explicit Deny always wins; no Allow means an implicit deny.
 * Conditions: StringEquals/StringLike on aws:SourceAccount are evaluated; any other condition is
 * assumed satisfied, because the local cloud does not have the request context to decide it.
 */
export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  NotPrincipal?: "*" | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

const malformed = (message: string) => new AwsError("MalformedPolicyDocument", message, 400);
const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Parses and checks a policy document; `trust` requires a Principal in every statement. */
export function parsePolicy(text: string, kind: "identity" | "trust"): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw malformed("This policy contains invalid Json");
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw malformed("Syntax errors in policy.");
  const doc = raw as Record<string, unknown>;
  if (doc.Version !== undefined && doc.Version !== "2012-10-17" && doc.Version !== "2008-10-17") {
    throw malformed("The policy failed legacy parsing");
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  if (statements.length === 0) throw malformed("Syntax errors in policy: Statement is required.");
  for (const [i, s] of statements.entries()) {
    const where = `Statement[${i}]`;
    if (!s || typeof s !== "object") throw malformed(`Syntax errors in policy: ${where} must be an object.`);
    const st = s as Record<string, unknown>;
    if (st.Effect !== "Allow" && st.Effect !== "Deny") {
      throw malformed(`Syntax errors in policy: ${where}.Effect must be "Allow" or "Deny".`);
    }
    if ((st.Action === undefined) === (st.NotAction === undefined)) {
      throw malformed(`Syntax errors in policy: ${where} needs exactly one of Action or NotAction.`);
    }
    if (kind === "identity") {
      if ((st.Resource === undefined) === (st.NotResource === undefined)) {
        throw malformed(
          `Policy document should not specify a principal or must have a resource: ${where} needs Resource or NotResource.`,
        );
      }
      if (st.Principal !== undefined || st.NotPrincipal !== undefined) {
        throw malformed(`Policy document should not specify a principal (${where}).`);
      }
    } else if (st.Principal === undefined && st.NotPrincipal === undefined) {
      throw malformed(`AssumeRolepolicy contained an invalid principal: ${where} has no Principal.`);
    }
  }
  return { ...(doc as object), Statement: statements as Statement[] } as PolicyDocument;
}

/** IAM wildcard match: "*" any run of characters, "?" exactly one. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === "?" || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

function conditionsHold(statement: Statement, context: Record<string, string>): boolean {
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    const like = operator === "StringLike" || operator === "ArnLike";
    const equals = operator === "StringEquals" || operator === "ArnEquals";
    if (!like && !equals) continue;
    for (const [key, expected] of Object.entries(block)) {
      const actual = context[key.toLowerCase()];
      if (actual === undefined) continue;
      const ok = list(expected).some((e) => (like ? wildcardMatch(e, actual) : e === actual));
      if (!ok) return false;
    }
  }
  return true;
}

function actionMatches(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined)
    return list(statement.Action).some((a) => wildcardMatch(a, action, true));
  return !list(statement.NotAction).some((a) => wildcardMatch(a, action, true));
}

function resourceMatches(statement: Statement, resource: string): boolean {
  if (statement.Resource !== undefined)
    return list(statement.Resource).some((r) => wildcardMatch(r, resource));
  return !list(statement.NotResource).some((r) => wildcardMatch(r, resource));
}

function principalMatches(statement: Statement, servicePrincipal: string): boolean {
  const hit = (principal: Statement["Principal"]) =>
    principal === "*" ||
    (principal !== undefined &&
      (list(principal.Service).includes(servicePrincipal) || list(principal.AWS).includes("*")));
  if (statement.Principal !== undefined) return hit(statement.Principal);
  return !hit(statement.NotPrincipal);
}

export type Decision =
  | { effect: "Allow"; policy: string; statement: Statement }
  | { effect: "Deny"; policy: string; statement: Statement }
  | { effect: "ImplicitDeny" };

/** Evaluates one action on one resource against identity policies. */
export function evaluate(
  policies: NamedPolicy[],
  action: string,
  resource: string,
  context: Record<string, string> = {},
): Decision {
  let allow: Decision | undefined;
  for (const { name, document } of policies) {
    for (const statement of document.Statement) {
      if (!actionMatches(statement, action) || !resourceMatches(statement, resource)) continue;
      if (!conditionsHold(statement, context)) continue;
      if (statement.Effect === "Deny") return { effect: "Deny", policy: name, statement };
      allow ??= { effect: "Allow", policy: name, statement };
    }
  }
  return allow ?? { effect: "ImplicitDeny" };
}

/** Evaluates a trust policy: may servicePrincipal call sts:AssumeRole? */
export function evaluateTrust(
  trust: PolicyDocument,
  servicePrincipal: string,
  context: Record<string, string>,
): Decision {
  let allow: Decision | undefined;
  for (const statement of trust.Statement) {
    if (!actionMatches(statement, "sts:AssumeRole") || !principalMatches(statement, servicePrincipal))
      continue;
    if (!conditionsHold(statement, context)) continue;
    if (statement.Effect === "Deny") return { effect: "Deny", policy: "trust policy", statement };
    allow ??= { effect: "Allow", policy: "trust policy", statement };
  }
  return allow ?? { effect: "ImplicitDeny" };
}

export function describeStatement(decision: Decision): string {
  if (decision.effect === "ImplicitDeny") return "no statement allows it";
  const sid = decision.statement.Sid ? ` statement "${decision.statement.Sid}"` : "";
  return `${decision.effect === "Deny" ? "explicitly denied" : "allowed"} by ${decision.policy}${sid}`;
}
