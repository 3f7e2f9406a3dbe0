/**
 * `npm run generate:catalog`: writes policies/catalog/resource-types.json, the
 * resource types of the installed provider SDKs and, for each type that takes
 * cost-allocation tags, where they live. It reads the SDKs' own declarations
 * (each resource's `*Args` interface and the `inputs` types it refers to) with
 * the TypeScript compiler API, so a new SDK version brings its new types and
 * fields with it. The file is written as the formatter prints it, so a new SDK
 * version shows as the lines of the types it added or changed.
 *
 *   npm run generate:catalog            write the file
 *   npm run generate:catalog -- --check exit 1 when the committed file is stale
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { providerPackages } from "../../components/clouds";
import { formatted } from "./formatted";

/** The provider SDKs of the clouds' descriptors, in their order. */
export const providers: readonly string[] = providerPackages;
export type Provider = string;

export const catalogFile = path.resolve(__dirname, "../../policies/catalog/resource-types.json");
const sdkRoot = (provider: Provider) => path.dirname(require.resolve(`@pulumi/${provider}/package.json`));

/**
 * Names a cost-allocation map goes by, in order of preference. GCP's `tags` are
 * Resource Manager tag bindings (`tagKeys/...` to `tagValues/...`), not labels.
 */
const tagNames: Record<Provider, string[]> = {
    aws: ["tags"],
    alicloud: ["tags", "labels"],
    gcp: ["resourceLabels", "userLabels", "labels"],
    kubernetes: ["labels"],
};

/**
 * Objects whose labels are the resource's own: a Kubernetes object's (and Cloud
 * Run v1's) `metadata`, Cloud SQL's `settings`, a GKE node pool's `nodeConfig`.
 * Other nested labels describe something else (a filter, a destination).
 */
const ownSettings = ["metadata", "settings", "nodeConfig"];

/**
 * Input properties whose presence the pack's property policies judge on every
 * type that has them (encryption at rest, public exposure, logging, TLS).
 */
export const judgedProperties = [
    "storageEncrypted",
    "encrypted",
    "publiclyAccessible",
    "associatePublicIpAddress",
    "internetMaxBandwidthOut",
    "deletionProtection",
    "minTlsVersion",
    "minimumTlsVersion",
    "sslPolicy",
] as const;

export interface ResourceCatalog {
    /** Versions of the SDKs this catalog was generated from. */
    sdks: Record<Provider, string>;
    /** Every resource type of each SDK, without the `<provider>:` prefix. */
    types: Record<Provider, string[]>;
    /**
     * Where each taggable type keeps its tags: a dotted path to a string map
     * (`tags`, `labels`, `settings.userLabels`, `metadata.labels`), or the path
     * followed by `[]` for a list of `{ key, value }` entries (autoscaling groups).
     */
    tags: Record<Provider, Record<string, string>>;
    /** For each judged input property, the types whose `*Args` declare it. */
    properties: Record<(typeof judgedProperties)[number], string[]>;
}

type Members = ts.NodeArray<ts.TypeElement>;

/** Interfaces of `types/input.d.ts` by dotted namespace path (`sql.DatabaseInstanceSettings`). */
function inputInterfaces(root: string): Map<string, Members> {
    const file = path.join(root, "types", "input.d.ts");
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const found = new Map<string, Members>();
    const visit = (node: ts.Node, prefix: string) => {
        if (ts.isModuleDeclaration(node) && node.body) {
            const name = `${prefix}${node.name.getText(source)}.`;
            if (ts.isModuleBlock(node.body)) node.body.statements.forEach((s) => visit(s, name));
            else visit(node.body, name);
        } else if (ts.isInterfaceDeclaration(node)) {
            found.set(prefix + node.name.text, node.members);
        }
    };
    source.statements.forEach((s) => visit(s, ""));
    return found;
}

/** `pulumi.Input<T | undefined>` -> T; other wrappers and unions with undefined likewise. */
function unwrap(node: ts.TypeNode): ts.TypeNode {
    if (ts.isParenthesizedTypeNode(node)) return unwrap(node.type);
    if (ts.isTypeReferenceNode(node) && /^(pulumi\.)?Input$/.test(node.typeName.getText()) && node.typeArguments?.length === 1) {
        return unwrap(node.typeArguments[0]);
    }
    if (ts.isUnionTypeNode(node)) {
        const rest = node.types.filter(
            (t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword),
        );
        if (rest.length === 1) return unwrap(rest[0]);
    }
    return node;
}

const isStringMap = (node: ts.TypeNode) => ts.isTypeLiteralNode(node) && node.members.some(ts.isIndexSignatureDeclaration);

function propertiesOf(members: Members): Map<string, ts.TypeNode> {
    const props = new Map<string, ts.TypeNode>();
    for (const m of members) if (ts.isPropertySignature(m) && m.type && m.name) props.set(m.name.getText(), m.type);
    return props;
}

/** The `inputs.x.Y` interface a type node names, if any. */
function inputOf(node: ts.TypeNode, inputs: Map<string, Members>): Map<string, ts.TypeNode> | undefined {
    if (!ts.isTypeReferenceNode(node)) return undefined;
    const name = node.typeName.getText().replace(/^inputs\./, "");
    const members = inputs.get(name);
    return members && propertiesOf(members);
}

/** Where a resource's `*Args` keep its tags: a top-level map or key/value list first, then a map one object deeper. */
function tagPath(args: Map<string, ts.TypeNode>, inputs: Map<string, Members>, names: string[]): string | undefined {
    for (const name of names) {
        const type = args.get(name);
        if (!type) continue;
        const t = unwrap(type);
        if (isStringMap(t)) return name;
        if (ts.isArrayTypeNode(t)) {
            const entry = inputOf(unwrap(t.elementType), inputs);
            if (entry?.has("key") && entry.has("value")) return `${name}[]`;
        }
    }
    for (const field of ownSettings) {
        const type = args.get(field);
        const nested = type && inputOf(unwrap(type), inputs);
        if (!nested) continue;
        for (const name of names) {
            const inner = nested.get(name);
            if (inner && isStringMap(unwrap(inner))) return `${field}.${name}`;
        }
    }
    return undefined;
}

function* declarationFiles(dir: string): Generator<string> {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (entry.name !== "types" && entry.name !== "node_modules") yield* declarationFiles(full);
        } else if (entry.name.endsWith(".d.ts")) yield full;
    }
}

export function generateCatalog(): ResourceCatalog {
    const catalog: ResourceCatalog = {
        sdks: {},
        types: {},
        tags: {},
        properties: Object.fromEntries(judgedProperties.map((p) => [p, []])) as unknown as ResourceCatalog["properties"],
    };
    for (const provider of providers) {
        const root = sdkRoot(provider);
        catalog.sdks[provider] = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
        const inputs = inputInterfaces(root);
        const types: string[] = [];
        const tags: Record<string, string> = {};
        for (const file of declarationFiles(root)) {
            const js = file.replace(/\.d\.ts$/, ".js");
            // The type token is registered in the module's code; the declaration names the class and its Args.
            const token = fs.existsSync(js) ? /static __pulumiType = '([^']+)'/.exec(fs.readFileSync(js, "utf8"))?.[1] : undefined;
            if (!token || !token.startsWith(`${provider}:`)) continue;
            const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
            const resource = source.statements.find(
                (s): s is ts.ClassDeclaration =>
                    ts.isClassDeclaration(s) && !!s.heritageClauses?.some((h) => h.types.some((t) => t.expression.getText(source).endsWith("CustomResource"))),
            );
            if (!resource?.name) continue;
            const argsName = `${resource.name.text}Args`;
            const argsDecl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === argsName);
            const short = token.slice(provider.length + 1);
            types.push(short);
            if (!argsDecl) continue;
            const args = propertiesOf(argsDecl.members);
            const where = tagPath(args, inputs, tagNames[provider]);
            if (where) tags[short] = where;
            for (const p of judgedProperties) if (args.has(p)) catalog.properties[p].push(token);
        }
        catalog.types[provider] = [...new Set(types)].sort();
        catalog.tags[provider] = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
    }
    for (const p of judgedProperties) catalog.properties[p].sort();
    return catalog;
}

/** The catalog as committed: every object one key a line, a list one item a line unless it fits on one. */
export function serializeCatalog(catalog: ResourceCatalog): Promise<string> {
    return formatted(catalogFile, JSON.stringify(catalog, null, 2));
}

async function main(argv: string[]): Promise<number> {
    const started = process.hrtime.bigint();
    const catalog = generateCatalog();
    const text = await serializeCatalog(catalog);
    const file = path.relative(process.cwd(), catalogFile);
    if (argv.includes("--check")) {
        if (fs.existsSync(catalogFile) && fs.readFileSync(catalogFile, "utf8") === text) return 0;
        process.stderr.write(`${file} is stale against the installed SDKs: run \`npm run generate:catalog\` and commit it.\n`);
        return 1;
    }
    fs.writeFileSync(catalogFile, text);
    const counts = providers.map((p) => `${p} ${catalog.types[p].length} types, ${Object.keys(catalog.tags[p]).length} taggable`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`${file}: ${counts.join("; ")} (${seconds.toFixed(1)} s)\n`);
    return 0;
}

// A rejection is left unhandled on purpose: Node prints its stack and exits with 1.
if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
