/**
 * Derives the result shape of every provider function of the installed provider
 * SDKs and writes it to packages/plan/src/data-sources/shapes/<provider>.json, which the
 * offline plan uses to answer functions it has no curated answer for.
 *
 * The SDKs' JavaScript names each function's invoke token
 * (`invoke("aws:ec2/getAmi:getAmi", ...)`); their declarations type the result
 * (`getAmi(...): Promise<GetAmiResult>`). The TypeScript compiler reads both.
 *
 *   npm run generate:functions                  write the files
 *   npm run generate:functions -- --check       exit 1 when a committed file is stale
 *   npm run generate:functions -- --out DIR aws write only aws.json, into DIR
 *
 * The files are written as the formatter prints them: a function a line where it
 * fits, so a diff shows the functions that changed.
 *
 * Shape notation, kept compact because the four files hold some 2,000 functions:
 *   "s" string, "n" number, "b" boolean, "?" any value
 *   "=<json>"     a literal (the first of a union of literals)
 *   [T]           a list of T
 *   {"*": T}      a map of T
 *   {"p": T, "q?": T}  an object; a key ending in "?" is optional
 *   "@name"       a named object type, defined under `types`
 * A function whose SDK declares no result type has the shape null.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import ts from "typescript";

import {
    shapeProviders as providers,
    shapesFile,
    type FunctionShape,
    type ProviderShapes,
    type Shape,
    type ShapeProvider as ProviderName,
} from "pulumi-offline-plan/function-shapes";
import { formatted } from "./formatted";

export { providers };

const sdkDir = (provider: ProviderName) => path.dirname(require.resolve(`@pulumi/${provider}/package.json`));

function jsFiles(dir: string): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (entry.name !== "node_modules") out.push(...jsFiles(full));
        } else if (entry.name.endsWith(".js")) out.push(full);
    }
    return out;
}

const invokePattern = /runtime\.(invoke|invokeSingle|invokeOutput|invokeSingleOutput)\(\s*"([^"]+)"/g;
const functionPattern = /^function (\w+)\(/gm;

interface InvokeSite {
    token: string;
    single: boolean;
    /** The exported function that makes the call, when it is one. */
    functionName?: string;
    declarationFile: string;
    output: boolean;
}

/** Every invoke token of an SDK, with the function that calls it. */
export function invokeSites(provider: ProviderName): InvokeSite[] {
    const sites = new Map<string, InvokeSite>();
    for (const file of jsFiles(sdkDir(provider)).sort()) {
        const text = fs.readFileSync(file, "utf8");
        if (!text.includes("runtime.invoke")) continue;
        const starts = [...text.matchAll(functionPattern)].map((m) => ({ name: m[1], at: m.index }));
        for (const match of text.matchAll(invokePattern)) {
            const token = match[2];
            const enclosing = starts.filter((s) => s.at < match.index).pop();
            const site: InvokeSite = {
                token,
                single: match[1].startsWith("invokeSingle"),
                functionName: enclosing?.name,
                declarationFile: file.replace(/\.js$/, ".d.ts"),
                output: match[1].endsWith("Output"),
            };
            // Prefer a declared function, then its plain form over its Output form (both call the same token).
            const rank = (s: InvokeSite) => (s.functionName ? 2 : 0) + (s.output ? 0 : 1);
            const known = sites.get(token);
            if (!known || rank(site) > rank(known)) sites.set(token, site);
        }
    }
    return [...sites.values()].sort((a, b) => a.token.localeCompare(b.token));
}

/** Walks declared types into the compact notation, collecting named object types. */
class ShapeReader {
    readonly types: Record<string, Shape> = {};
    private readonly visiting = new Set<string>();

    constructor(private readonly checker: ts.TypeChecker) {}

    read(type: ts.Type, inline = false): Shape {
        const c = this.checker;
        if (type.isUnion()) {
            const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
            if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return "b";
            if (members.length === 0) return "?";
            return this.read(members[0], inline);
        }
        if (type.flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) return "s";
        if (type.flags & ts.TypeFlags.Number) return "n";
        if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return "b";
        if (type.isStringLiteral() || type.isNumberLiteral()) return `=${JSON.stringify(type.value)}`;
        if (c.isArrayType(type) || c.isTupleType(type)) {
            const [item] = c.getTypeArguments(type as ts.TypeReference);
            return [item ? this.read(item) : "?"];
        }
        if (!(type.flags & ts.TypeFlags.Object)) return "?";
        const properties = c.getPropertiesOfType(type);
        const index = c.getIndexInfoOfType(type, ts.IndexKind.String);
        // An empty interface declares an object the provider fills with nothing.
        if (properties.length === 0) return index ? { "*": this.read(index.type) } : {};
        const name = this.typeName(type);
        if (inline || !name) return this.objectShape(type, properties);
        if (!(name in this.types) && !this.visiting.has(name)) {
            this.visiting.add(name);
            this.types[name] = this.objectShape(type, properties);
            this.visiting.delete(name);
        }
        return `@${name}`;
    }

    private objectShape(type: ts.Type, properties: ts.Symbol[]): Shape {
        const shape: Record<string, Shape> = {};
        for (const property of properties) {
            const declaration = property.valueDeclaration ?? property.declarations?.[0];
            if (!declaration) continue;
            const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
            shape[optional ? `${property.name}?` : property.name] = this.read(this.checker.getTypeOfSymbolAtLocation(property, declaration));
        }
        return shape;
    }

    /** `ec2.GetAmiBlockDeviceMapping` for `outputs.ec2.GetAmiBlockDeviceMapping`; none for anonymous types. */
    private typeName(type: ts.Type): string | undefined {
        const symbol = type.aliasSymbol ?? type.getSymbol();
        if (!symbol || symbol.name === "__type" || symbol.name === "__object") return undefined;
        return this.checker.getFullyQualifiedName(symbol).replace(/^"[^"]*"\./, "");
    }
}

/** `T` of `Promise<T>` or `Output<T>`, the declared result of a plain or an Output-form function. */
function unwrapResult(checker: ts.TypeChecker, type: ts.Type): ts.Type {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (symbol?.name === "Promise") return checker.getTypeArguments(type as ts.TypeReference)[0] ?? type;
    if (symbol?.name === "Output") return (type.aliasTypeArguments ?? checker.getTypeArguments(type as ts.TypeReference))[0] ?? type;
    return type;
}

/** The shapes of a provider's functions; `only` narrows them to the tokens given (a spot check). */
export function readProvider(provider: ProviderName, only?: readonly string[]): ProviderShapes {
    const dir = sdkDir(provider);
    const sites = invokeSites(provider).filter((site) => !only || only.includes(site.token));
    const roots = [...new Set(sites.filter((s) => s.functionName).map((s) => s.declarationFile))];
    const program = ts.createProgram(roots, {
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.Node16,
        moduleResolution: ts.ModuleResolutionKind.Node16,
        types: [],
    });
    const checker = program.getTypeChecker();
    const reader = new ShapeReader(checker);
    const functions: Record<string, FunctionShape> = {};
    for (const site of sites) {
        let result: Shape | null = null;
        const source = site.functionName ? program.getSourceFile(site.declarationFile) : undefined;
        const declaration = source?.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === site.functionName);
        const signature = declaration && checker.getSignatureFromDeclaration(declaration);
        if (signature) {
            const returned = unwrapResult(checker, checker.getReturnTypeOfSignature(signature));
            // The provider answers `{ result: value }`; the SDK hands back the value alone.
            result = site.single ? { result: reader.read(returned) } : reader.read(returned, true);
        }
        functions[site.token] = site.single ? { result, single: true } : { result };
    }
    const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version as string;
    const types = Object.fromEntries(Object.entries(reader.types).sort(([a], [b]) => a.localeCompare(b)));
    return { sdk: `@pulumi/${provider}`, version, functions, types };
}

/** As committed: one function a line where it fits, nested shapes spread over lines where it does not. */
export function serialize(provider: ProviderName, shapes: ProviderShapes): Promise<string> {
    const block = (record: Record<string, unknown>) =>
        Object.entries(record)
            .map(([key, value]) => `\n    ${JSON.stringify(key)}: ${JSON.stringify(value)}`)
            .join(",");
    const text = [
        "{",
        `  "sdk": ${JSON.stringify(shapes.sdk)},`,
        `  "version": ${JSON.stringify(shapes.version)},`,
        `  "functions": {${block(shapes.functions)}\n  },`,
        `  "types": {${block(shapes.types)}\n  }`,
        "}",
        "",
    ].join("\n");
    return formatted(shapesFile(provider), text);
}

async function main(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, options: { check: { type: "boolean" }, out: { type: "string" } }, allowPositionals: true });
    const unknown = positionals.filter((name) => !(providers as readonly string[]).includes(name));
    if (unknown.length) {
        console.error(`Unknown provider ${unknown.join(", ")}; choose from ${providers.join(", ")}.`);
        return 2;
    }
    const stale: string[] = [];
    for (const provider of providers.filter((p) => positionals.length === 0 || positionals.includes(p))) {
        const text = await serialize(provider, readProvider(provider));
        const file = values.out ? path.join(values.out, path.basename(shapesFile(provider))) : shapesFile(provider);
        if (values.check) {
            if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) stale.push(path.relative(process.cwd(), file));
            continue;
        }
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
        console.log(`${path.relative(process.cwd(), file)}: ${Object.keys(JSON.parse(text).functions).length} functions`);
    }
    if (stale.length) {
        console.error(`Stale against the installed SDKs: ${stale.join(", ")}. Run \`npm run generate:functions\`.`);
        return 1;
    }
    return 0;
}

// A rejection is left unhandled on purpose: Node prints its stack and exits with 1.
if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
