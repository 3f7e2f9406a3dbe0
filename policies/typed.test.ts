/**
 * Typed policies: a misspelt property is a compile error, and the compiled pack
 * never loads a provider SDK.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { validateTyped } from "./typed";

const policiesDir = __dirname;

const snippetFile = path.join(policiesDir, "__typed_snippet__.ts");
const compilerOptions: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    skipLibCheck: true,
    noEmit: true,
    types: [],
};
/**
 * Every file but the snippet is read and parsed once for this test file: the
 * provider SDKs' declarations are most of a check's time, and a program built
 * over the last one reuses the files it is given unchanged.
 */
const parsed = new Map<string, ts.SourceFile | undefined>();
let snippetSource = "";
const host = ts.createCompilerHost(compilerOptions);
const read = host.readFile.bind(host);
host.readFile = (name) => (path.resolve(name) === snippetFile ? snippetSource : read(name));
const exists = host.fileExists.bind(host);
host.fileExists = (name) => path.resolve(name) === snippetFile || exists(name);
const parse = host.getSourceFile.bind(host);
host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    if (path.resolve(name) === snippetFile) return parse(name, languageVersion, onError, shouldCreate);
    if (!parsed.has(name)) parsed.set(name, parse(name, languageVersion, onError, shouldCreate));
    return parsed.get(name);
};
let lastProgram: ts.Program | undefined;

/** Type-checks `source` as a file of the pack and returns its diagnostics' messages. */
function diagnosticsOf(source: string): string[] {
    snippetSource = source;
    const program = ts.createProgram([snippetFile], compilerOptions, host, lastProgram);
    lastProgram = program;
    return ts.getPreEmitDiagnostics(program, program.getSourceFile(snippetFile)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

const snippet = (body: string) => `
import type { FileSystemArgs } from "@pulumi/aws/efs";
import { validateTyped } from "./typed";
export const v = validateTyped<FileSystemArgs>("aws:efs/fileSystem:FileSystem", (props, _args, report) => {
    ${body}
});
`;

describe("validateTyped", () => {
    test("a property the SDK declares compiles, with its resolved type", () => {
        expect(diagnosticsOf(snippet(`const e: boolean | undefined = props.encrypted; if (e !== true) report("not encrypted");`))).toEqual([]);
    });

    test("a misspelt property is a compile error", () => {
        const messages = diagnosticsOf(snippet(`if (props.encryptd !== true) report("not encrypted");`));
        expect(messages).toEqual([expect.stringContaining("Property 'encryptd' does not exist on type")]);
    });

    test("types judged alike compile only properties all of them declare", () => {
        const source = (body: string) => `
import type { InstanceArgs } from "@pulumi/alicloud/ecs";
import type { ScalingConfigurationArgs } from "@pulumi/alicloud/ess";
import { validateTyped } from "./typed";
export const v = validateTyped<InstanceArgs | ScalingConfigurationArgs>(["alicloud:ecs/instance:Instance", "alicloud:ess/scalingConfiguration:ScalingConfiguration"], (props, _args, report) => {
    ${body}
});
`;
        expect(diagnosticsOf(source(`if (props.systemDiskEncrypted !== true) report("unencrypted");`))).toEqual([]);
        // Only scaling configurations declare scalingGroupId.
        expect(diagnosticsOf(source(`if (props.scalingGroupId) report("grouped");`))).toEqual([
            expect.stringContaining("Property 'scalingGroupId' does not exist on type"),
        ]);
    });

    test("a value of the wrong type is a compile error", () => {
        const messages = diagnosticsOf(snippet(`const n: number = props.kmsKeyId;`));
        expect(messages).toEqual([expect.stringContaining("is not assignable to type 'number'")]);
    });
});

/** Every file of the pack that takes an SDK's input types. */
const typedFiles = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : typedFiles(p);
        return e.name.endsWith(".ts") &&
            !e.name.endsWith(".test.ts") &&
            p !== path.join(policiesDir, "typed.ts") &&
            fs.readFileSync(p, "utf8").includes("validateTyped<")
            ? [p]
            : [];
    });

const providerSdk = /@pulumi\/(aws|gcp|alicloud|kubernetes)\b/;

describe("validateTyped at run time", () => {
    // The policy SDK's own check, the one its Analyze runs before it decodes a resource's inputs for a policy.
    // oxlint-disable-next-line typescript/no-require-imports -- getPulumiType is internal to the policy SDK: its type declarations leave it out
    const { getPulumiType } = require("@pulumi/policy/policy") as { getPulumiType: (v: unknown) => string | undefined };

    test("a validation of one type names it to the policy SDK, which then passes over other types", () => {
        expect(getPulumiType(validateTyped("aws:sqs/queue:Queue", () => undefined))).toBe("aws:sqs/queue:Queue");
    });

    test("a validation of several types names none, and judges only those types", () => {
        const seen: string[] = [];
        const validation = validateTyped(["aws:sqs/queue:Queue", "aws:sns/topic:Topic"], (_props, args) => void seen.push(args.type));
        expect(getPulumiType(validation)).toBeUndefined();
        for (const type of ["aws:sqs/queue:Queue", "aws:s3/bucket:Bucket", "aws:sns/topic:Topic"]) {
            (validation as (args: unknown, report: unknown) => void)({ type, props: {} }, () => undefined);
        }
        expect(seen).toEqual(["aws:sqs/queue:Queue", "aws:sns/topic:Topic"]);
    });
});

describe("the compiled pack", () => {
    const files = typedFiles(policiesDir);

    test("policies of every cloud, and the stack policies that judge across clouds, read typed properties", () => {
        const clouds = new Set(files.map((f) => path.relative(policiesDir, f).split(path.sep)[0]));
        expect([...clouds].sort()).toEqual(["alicloud", "aws", "gcp", "kubernetes", "stack"]);
    });

    test.each(files.map((f) => [path.relative(policiesDir, f), f]))("%s imports its SDK's types only", (_name, file) => {
        const source = fs.readFileSync(file, "utf8");
        expect(source).toMatch(providerSdk);
        const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
        expect(js).not.toMatch(providerSdk);
    });
});
