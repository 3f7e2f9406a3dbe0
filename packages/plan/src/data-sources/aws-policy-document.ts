/**
 * `aws.iam.getPolicyDocument` as the AWS provider renders it, so policies judge
 * the very JSON a preview would show:
 * - source documents first, then the statements given, then override
 *   documents, a later statement replacing an earlier one of the same Sid;
 * - a list of one value becomes a string; action, resource and principal lists
 *   (sets in the provider) lose duplicates and sort in descending order;
 *   condition values keep their order;
 * - principals `{ type: "*", identifiers: ["*"] }` alone render as `"*"`;
 * - `&{` becomes `${` in resources, principals and conditions (an error in
 *   version 2008-10-17, which has no policy variables);
 * - Go's encoding: two-space indentation, `<`, `>` and `&` escaped, keys in
 *   declaration order, map keys sorted; the id is the CRC-32 of the JSON.
 */
import { crc32 } from "node:zlib";

type Strings = string | string[];

interface Statement {
    Sid?: string;
    Effect?: string;
    Action?: Strings;
    NotAction?: Strings;
    Resource?: Strings;
    NotResource?: Strings;
    Principal?: Principal[];
    NotPrincipal?: Principal[];
    Condition?: Condition[];
}

interface Principal {
    type: string;
    identifiers: Strings;
}

interface Condition {
    test: string;
    variable: string;
    values: Strings;
}

interface Document {
    Version?: string;
    Id?: string;
    Statement: Statement[];
}

/** A JSON document (source or override) as IAM spells it; principals and conditions are read as the provider reads them. */
interface DocumentJson {
    Version?: string;
    Id?: string;
    Statement?: StatementJson | StatementJson[];
}

interface StatementJson {
    Sid?: string;
    Effect?: string;
    Action?: Strings;
    NotAction?: Strings;
    Resource?: Strings;
    NotResource?: Strings;
    Principal?: unknown;
    NotPrincipal?: unknown;
    Condition?: unknown;
}

/** The function's arguments as the SDK declares them (GetPolicyDocumentArgs). */
interface PolicyDocumentArgs {
    version?: string;
    policyId?: string;
    sourcePolicyDocuments?: (string | null)[];
    overridePolicyDocuments?: (string | null)[];
    statements?: StatementArgs[];
}

interface StatementArgs {
    sid?: string;
    effect?: string;
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    principals?: PrincipalArgs[];
    notPrincipals?: PrincipalArgs[];
    conditions?: { test: string; variable: string; values?: string[] }[];
}

interface PrincipalArgs {
    type: string;
    identifiers?: string[];
}

const descending = (values: string[]) => [...new Set(values)].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));

/** One value alone, several in descending order, as the provider decodes a set of strings. */
function fromSet(values: string[] | undefined): Strings | undefined {
    if (!values || values.length === 0) return undefined;
    const unique = descending(values);
    return unique.length === 1 ? unique[0] : unique;
}

function replaceVariables(value: Strings, version: string): Strings {
    const replace = (text: string) => {
        if (version === "2008-10-17" && text.includes("&{")) {
            throw new Error(`found &{ sequence in (${text}), which is not supported in document version 2008-10-17`);
        }
        return text.replaceAll("&{", "${");
    };
    return Array.isArray(value) ? value.map(replace) : replace(value);
}

function merge(into: Document, next: Document) {
    if (next.Id) into.Id = next.Id;
    if ((next.Version ?? "") > (into.Version ?? "")) into.Version = next.Version;
    for (const statement of next.Statement) {
        const same = statement.Sid ? into.Statement.findIndex((s) => s.Sid === statement.Sid) : -1;
        if (same >= 0) into.Statement[same] = statement;
        else into.Statement.push(statement);
    }
}

/** A document given as JSON (source or override), read as the provider reads it. */
function parseDocument(json: string, role: string, index: number): Document {
    let raw: DocumentJson;
    try {
        raw = JSON.parse(json) as DocumentJson;
    } catch (error) {
        throw new Error(`merging ${role} document ${index}: ${(error as Error).message}`, { cause: error });
    }
    const principals = (value: unknown): Principal[] | undefined => {
        if (value === undefined) return undefined;
        if (typeof value === "string") return [{ type: "*", identifiers: ["*"] }];
        return Object.entries(value as Record<string, Strings>).map(([type, identifiers]) => ({
            type,
            identifiers: Array.isArray(identifiers) ? [...identifiers].sort() : identifiers,
        }));
    };
    const conditions = (value: unknown): Condition[] | undefined =>
        value === undefined
            ? undefined
            : Object.entries(value as Record<string, Record<string, unknown>>).flatMap(([test, variables]) =>
                  Object.entries(variables).map(([variable, values]) => ({
                      test,
                      variable,
                      values: typeof values === "boolean" ? String(values) : typeof values === "string" ? [values] : (values as string[]),
                  })),
              );
    const statements = raw.Statement === undefined ? [] : Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement];
    return {
        Version: raw.Version,
        Id: raw.Id,
        Statement: statements.map((s) => ({
            Sid: s.Sid,
            Effect: s.Effect,
            Action: s.Action,
            NotAction: s.NotAction,
            Resource: s.Resource,
            NotResource: s.NotResource,
            Principal: principals(s.Principal),
            NotPrincipal: principals(s.NotPrincipal),
            Condition: conditions(s.Condition),
        })),
    };
}

function renderPrincipals(principals: Principal[] | undefined): unknown {
    if (!principals || principals.length === 0) return undefined;
    if (principals.length === 1 && principals[0].type === "*") {
        const ids = principals[0].identifiers;
        if (ids === "*" || (Array.isArray(ids) && ids.length === 1 && ids[0] === "*")) return "*";
    }
    const byType: Record<string, Strings> = {};
    for (const { type, identifiers } of principals) {
        const known = byType[type];
        const added = Array.isArray(identifiers) ? descending(identifiers) : [identifiers];
        if (known === undefined) byType[type] = Array.isArray(identifiers) ? added : identifiers;
        else byType[type] = [...(Array.isArray(known) ? known : [known]), ...added];
    }
    return sortedKeys(byType);
}

function renderConditions(conditions: Condition[] | undefined): unknown {
    if (!conditions || conditions.length === 0) return undefined;
    const byTest: Record<string, Record<string, string[]>> = {};
    for (const { test, variable, values } of conditions) {
        const variables = (byTest[test] ??= {});
        (variables[variable] ??= []).push(...(Array.isArray(values) ? values : [values]));
    }
    return sortedKeys(
        Object.fromEntries(
            Object.entries(byTest).map(([test, variables]) => [
                test,
                sortedKeys(Object.fromEntries(Object.entries(variables).map(([v, values]) => [v, values.length === 1 ? values[0] : values]))),
            ]),
        ),
    );
}

/** Go writes a map's keys in sorted order. */
const sortedKeys = <T>(record: Record<string, T>) =>
    Object.fromEntries(
        Object.keys(record)
            .sort()
            .map((key) => [key, record[key]]),
    );

function render(document: Document): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (document.Version) out.Version = document.Version;
    if (document.Id) out.Id = document.Id;
    if (document.Statement.length) {
        out.Statement = document.Statement.map((s) =>
            Object.fromEntries(
                Object.entries({
                    Sid: s.Sid || undefined,
                    Effect: s.Effect || undefined,
                    Action: s.Action,
                    NotAction: s.NotAction,
                    Resource: s.Resource,
                    NotResource: s.NotResource,
                    Principal: renderPrincipals(s.Principal),
                    NotPrincipal: renderPrincipals(s.NotPrincipal),
                    Condition: renderConditions(s.Condition),
                }).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
            ),
        );
    }
    return out;
}

/** Go's encoder escapes these for HTML; a byte-for-byte equal document needs the same. */
const goEscape = (json: string) => json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

export function policyDocument(given: Record<string, unknown>): Record<string, unknown> {
    const inputs = given as PolicyDocumentArgs;
    const version = inputs.version ?? "2012-10-17";
    const merged: Document = { Statement: [] };
    const sids = new Set<string>();
    (inputs.sourcePolicyDocuments ?? []).forEach((json, index) => {
        if (json == null) return;
        const source = parseDocument(json, "source", index);
        source.Statement.forEach((statement, statementIndex) => {
            if (!statement.Sid) return;
            if (sids.has(statement.Sid)) {
                throw new Error(
                    `merging source document ${index}: duplicate Sid (${statement.Sid}) in sourcePolicyDocuments (statement ${statementIndex}). Remove the Sid or ensure Sids are unique.`,
                );
            }
            sids.add(statement.Sid);
        });
        merge(merged, source);
    });

    const own: Document = { Version: version, Id: inputs.policyId, Statement: [] };
    const ownSids = new Set<string>();
    for (const s of inputs.statements ?? []) {
        if (s.sid && ownSids.has(s.sid)) throw new Error(`duplicate Sid (${s.sid}). Remove the Sid or ensure the Sid is unique.`);
        if (s.sid) ownSids.add(s.sid);
        const resources = fromSet(s.resources);
        const notResources = fromSet(s.notResources);
        const principals = (list: PrincipalArgs[] | undefined) =>
            list?.length ? list.map((p) => ({ type: p.type, identifiers: replaceVariables(fromSet(p.identifiers) ?? [], version) })) : undefined;
        own.Statement.push({
            Sid: s.sid,
            Effect: s.effect ?? "Allow",
            Action: fromSet(s.actions),
            NotAction: fromSet(s.notActions),
            Resource: resources && replaceVariables(resources, version),
            NotResource: notResources && replaceVariables(notResources, version),
            Principal: principals(s.principals),
            NotPrincipal: principals(s.notPrincipals),
            Condition: s.conditions?.length
                ? s.conditions.map((c) => {
                      const values = replaceVariables(c.values ?? [], version) as string[];
                      return { test: c.test, variable: c.variable, values: values.length === 1 ? values[0] : values };
                  })
                : undefined,
        });
    }
    merge(merged, own);

    (inputs.overridePolicyDocuments ?? []).forEach((json, index) => {
        if (json != null) merge(merged, parseDocument(json, "override", index));
    });

    const document = render(merged);
    const json = goEscape(JSON.stringify(document, null, 2));
    return {
        id: String(crc32(json)),
        json,
        minifiedJson: goEscape(JSON.stringify(document)),
        version,
        policyId: inputs.policyId,
        statements: inputs.statements,
        sourcePolicyDocuments: inputs.sourcePolicyDocuments,
        overridePolicyDocuments: inputs.overridePolicyDocuments,
    };
}
