/**
 * Runs a CrossGuard policy pack as the Pulumi CLI does: starts the pack with the
 * runner in `@pulumi/pulumi/cmd/run-policy-pack` (from the pack's own SDK copy),
 * reads the gRPC port it prints, and speaks the analyzer protocol to it
 * (GetAnalyzerInfo, ConfigureStack, Configure, Analyze, AnalyzeStack) with the
 * messages in `@pulumi/pulumi/proto`. Policy semantics live only in the pack.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import Ajv from "ajv";
import type { CapturedResource } from "./capture";
import { PlanError } from "./errors";

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const structProto = require("google-protobuf/google/protobuf/struct_pb");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
const levelNames: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const levelNumbers: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const severityNames = ["unspecified", "low", "medium", "high", "critical"];
const ajv = new Ajv({ allErrors: true, strict: false });

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: string;
    framework?: { name: string; version: string; reference: string; specification: string };
    tags: string[];
    remediationSteps: string;
    url: string;
    /** JSON Schema `properties` of the policy's configuration. */
    configSchema?: unknown;
    configRequired: string[];
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
    initialConfig: Record<string, { enforcementLevel?: EnforcementLevel; [k: string]: unknown }>;
}

/** A policy's fix of a resource's inputs, applied before the resource is judged and created. */
export interface Remediation {
    policyPack: string;
    policy: string;
    description: string;
    urn: string;
    /** The resource's inputs after the fix; undefined when the policy only reported a diagnostic. */
    properties?: Record<string, unknown>;
    diagnostic: string;
}

export interface Violation {
    policyPack: string;
    policyPackVersion: string;
    policy: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: string;
    /** Empty for stack-wide findings without a resource. */
    urn: string;
    message: string;
    /** The policy's remediation steps (GetAnalyzerInfo's `remediationSteps`), when it gives them. */
    remediation?: string;
}

/** Policy pack configuration, as the CLI's `--policy-pack-config` file holds it. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface StackInfo {
    project: string;
    stack: string;
    organization?: string;
    config: Record<string, string>;
    secretKeys: string[];
}

function promisify<Req, Res>(client: any, method: string, request: Req, timeoutMs = 120_000): Promise<Res> {
    return new Promise((resolve, reject) => {
        client[method](request, { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res: Res) =>
            err ? reject(err) : resolve(res),
        );
    });
}

function toStruct(value: Record<string, unknown>) {
    return structProto.Struct.fromJavaScript(value);
}

/** A running policy pack and a client for it. */
export class PolicyPackServer {
    private constructor(
        readonly packDir: string,
        /** The pack's process; undefined when connected to a pack someone else started. */
        private readonly child: ChildProcess | undefined,
        private readonly client: any,
        private readonly stderr: () => string,
        readonly port: number,
    ) {}

    private static client(port: number) {
        return new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
    }

    /** Connects to a pack already serving on the port (started by another process); stop() leaves it running. */
    static connect(packDir: string, port: number): PolicyPackServer {
        return new PolicyPackServer(path.resolve(packDir), undefined, PolicyPackServer.client(port), () => "", port);
    }

    /** Starts the pack the way the CLI does and waits for its gRPC port. */
    static async start(packDir: string): Promise<PolicyPackServer> {
        const dir = path.resolve(packDir);
        if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
            throw new PlanError(2, `--policy-pack ${packDir}: no PulumiPolicy.yaml in ${dir}; a CrossGuard policy pack directory has one.`);
        }
        let pulumiDir: string;
        try {
            pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [dir] }));
        } catch {
            throw new PlanError(2, `--policy-pack ${packDir}: @pulumi/pulumi is not installed for the pack; run \`npm install\` in ${dir}.`);
        }
        const runner = path.join(pulumiDir, "cmd", "run-policy-pack");
        // The CLI passes its engine address first; the pack SDK does not call back into it.
        const child = spawn(process.execPath, [runner, "127.0.0.1:0", dir], {
            cwd: dir,
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY },
        });
        // The pack is ours alone: it must not outlive the plan, however the plan ends.
        const killPack = () => child.kill();
        process.once("exit", killPack);
        child.once("exit", () => process.off("exit", killPack));
        let err = "";
        child.stderr!.on("data", (d) => (err += String(d)));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const onData = (d: Buffer) => {
                out += String(d);
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    child.stdout!.off("data", onData);
                    resolve(Number(m[1]));
                }
            };
            child.stdout!.on("data", onData);
            child.once("exit", (code) =>
                reject(new PlanError(2, `Policy pack ${packDir} exited (code ${code}) before serving:\n${(err || out).trim()}`)),
            );
            child.once("error", (e) => reject(new PlanError(2, `Policy pack ${packDir} could not start: ${e.message}`)));
        });
        child.removeAllListeners("exit");
        return new PolicyPackServer(dir, child, PolicyPackServer.client(port), () => err, port);
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const info = await promisify<any, any>(this.client, "getAnalyzerInfo", new emptyProto.Empty());
        const initialConfig: AnalyzerInfo["initialConfig"] = {};
        for (const [name, cfg] of info.getInitialconfigMap().entries()) {
            initialConfig[name] = {
                ...(cfg.getProperties()?.toJavaScript() ?? {}),
                enforcementLevel: levelNames[cfg.getEnforcementlevel()],
            };
        }
        return {
            name: info.getName(),
            version: info.getVersion(),
            supportsConfig: info.getSupportsconfig(),
            initialConfig,
            policies: info.getPoliciesList().map((p: any) => {
                const fw = p.getFramework?.();
                return {
                    name: p.getName(),
                    displayName: p.getDisplayname(),
                    description: p.getDescription(),
                    enforcementLevel: levelNames[p.getEnforcementlevel()],
                    severity: severityNames[p.getSeverity?.() ?? 0] ?? "unspecified",
                    framework: fw
                        ? { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() }
                        : undefined,
                    tags: p.getTagsList?.() ?? [],
                    remediationSteps: p.getRemediationSteps?.() ?? "",
                    url: p.getUrl?.() ?? "",
                    configSchema: p.getConfigschema()?.getProperties()?.toJavaScript(),
                    configRequired: p.getConfigschema()?.getRequiredList() ?? [],
                } satisfies PolicyInfo;
            }),
        };
    }

    /** Tells the pack which stack it judges, as the CLI does before analysis. */
    async configureStack(stack: StackInfo): Promise<void> {
        const req = new analyzerProto.AnalyzerStackConfigureRequest();
        req.setStack(stack.stack);
        req.setProject(stack.project);
        req.setOrganization(stack.organization ?? "organization");
        req.setDryRun(true);
        for (const [k, v] of Object.entries(stack.config)) req.getConfigMap().set(k, v);
        req.setConfigSecretKeysList(stack.secretKeys);
        try {
            await promisify(this.client, "configureStack", req);
        } catch (e) {
            // Packs built on an older SDK do not implement it; the CLI tolerates that too.
            if ((e as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED) throw e;
        }
    }

    /** Sends the pack's configuration: its initial config overlaid with the user's. */
    async configure(info: AnalyzerInfo, userConfig: PolicyPackConfig = {}): Promise<void> {
        const known = new Set(info.policies.map((p) => p.name));
        for (const name of Object.keys(userConfig)) {
            if (name !== "all" && !known.has(name)) {
                throw new PlanError(2, `Policy pack config names an unknown policy "${name}" (pack ${info.name}); known: ${[...known].join(", ")}.`);
            }
        }
        const req = new analyzerProto.ConfigureAnalyzerRequest();
        const all = userConfig.all;
        for (const policy of info.policies) {
            // As the CLI does: the schema's defaults, then the pack's initial config, then the user's.
            const schemaProps = (policy.configSchema ?? {}) as Record<string, { default?: unknown }>;
            const defaults = Object.fromEntries(
                Object.entries(schemaProps).flatMap(([k, v]) => (v && typeof v === "object" && "default" in v ? [[k, v.default]] : [])),
            );
            const initial = { ...defaults, ...(info.initialConfig[policy.name] ?? {}) };
            const given = userConfig[policy.name] ?? all;
            const merged: Record<string, unknown> = { ...initial, ...(typeof given === "string" ? { enforcementLevel: given } : (given ?? {})) };
            const level = (merged.enforcementLevel as EnforcementLevel | undefined) ?? policy.enforcementLevel;
            if (!(level in levelNumbers)) {
                throw new PlanError(2, `Policy pack config for "${policy.name}": enforcementLevel "${level}" is not one of ${levelNames.join(", ")}.`);
            }
            delete merged.enforcementLevel;
            // The CLI refuses configuration that its policy's schema does not admit; so does the plan.
            if (policy.configSchema) {
                const validate = ajv.compile({ type: "object", properties: policy.configSchema, required: policy.configRequired });
                if (!validate(merged)) {
                    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "(config)"} ${e.message}`).join("; ");
                    throw new PlanError(2, `Policy pack config for "${policy.name}" (pack ${info.name}) is invalid: ${problems}.`);
                }
            }
            const pc = new analyzerProto.PolicyConfig();
            pc.setEnforcementlevel(levelNumbers[level]);
            pc.setProperties(toStruct(merged));
            req.getPolicyconfigMap().set(policy.name, pc);
        }
        await promisify(this.client, "configure", req);
    }

    /**
     * Asks the pack's remediating policies (enforcement level "remediate") to fix a
     * resource before it is judged, as the engine does; returns the fixes in order.
     */
    async remediate(resource: CapturedResource, providers: Map<string, CapturedResource>): Promise<Remediation[]> {
        const res = await promisify<any, any>(this.client, "remediate", this.request(resource, providers));
        return res.getRemediationsList().map((r: any) => ({
            policyPack: r.getPolicypackname(),
            policy: r.getPolicyname(),
            description: r.getDescription(),
            urn: resource.urn,
            properties: r.getProperties()?.toJavaScript(),
            diagnostic: r.getDiagnostic(),
        }));
    }

    private request(resource: CapturedResource, providers: Map<string, CapturedResource>) {
        const req = new analyzerProto.AnalyzeRequest();
        req.setType(resource.type);
        req.setUrn(resource.urn);
        req.setName(resource.name);
        req.setProperties(toStruct(resource.inputs));
        req.setOptions(optionsMessage(resource));
        const provider = providerMessage(resource, providers);
        if (provider) req.setProvider(provider);
        return req;
    }

    async analyze(resource: CapturedResource, providers: Map<string, CapturedResource>): Promise<Violation[]> {
        const res = await promisify<any, any>(this.client, "analyze", this.request(resource, providers));
        // The engine attributes a resource's diagnostics to the resource it asked about.
        return violationsOf(res).map((v) => ({ ...v, urn: v.urn || resource.urn }));
    }

    async analyzeStack(resources: CapturedResource[], providers: Map<string, CapturedResource>): Promise<Violation[]> {
        const req = new analyzerProto.AnalyzeStackRequest();
        req.setResourcesList(
            resources.map((resource) => {
                const r = new analyzerProto.AnalyzerResource();
                r.setType(resource.type);
                r.setUrn(resource.urn);
                r.setName(resource.name);
                r.setProperties(toStruct(resource.inputs));
                r.setOptions(optionsMessage(resource));
                const provider = providerMessage(resource, providers);
                if (provider) r.setProvider(provider);
                r.setParent(resource.parent ?? "");
                r.setDependenciesList(resource.options.dependsOn);
                return r;
            }),
        );
        const res = await promisify<any, any>(this.client, "analyzeStack", req);
        return violationsOf(res);
    }

    /** Output the pack wrote to stderr (its console.error, crashes). */
    diagnostics(): string {
        return this.stderr();
    }

    async stop(): Promise<void> {
        this.client.close();
        const child = this.child;
        if (child && child.exitCode === null) {
            const exited = new Promise((r) => child.once("exit", r));
            child.kill();
            await exited;
        }
    }
}

function optionsMessage(resource: CapturedResource) {
    const o = new analyzerProto.AnalyzerResourceOptions();
    o.setProtect(resource.options.protect);
    o.setIgnorechangesList(resource.options.ignoreChanges);
    o.setDeletebeforereplace(resource.options.deleteBeforeReplace);
    o.setDeletebeforereplacedefined(resource.options.deleteBeforeReplace);
    o.setAdditionalsecretoutputsList(resource.options.additionalSecretOutputs);
    o.setAliasesList(aliasUrns(resource));
    o.setParent(resource.parent ?? "");
    return o;
}

/** Aliases as URNs, as the engine resolves them before analysis. */
export function aliasUrns(resource: CapturedResource): string[] {
    const prefix = resource.urn.split("::").slice(0, 2).join("::");
    return resource.options.aliases.flatMap((alias) => {
        if (typeof alias === "string") return [alias];
        const spec = alias as { urn?: string; spec?: { name?: string; type?: string; stack?: string; project?: string; parenturn?: string; noparent?: boolean } };
        if (spec.urn) return [spec.urn];
        if (!spec.spec) return [];
        const ownTypes = resource.urn.split("::")[2].split("$");
        const type = spec.spec.type || ownTypes[ownTypes.length - 1];
        // The qualified type chains the parent's qualified type, as the engine builds URNs.
        const parentTypes = spec.spec.noparent
            ? []
            : spec.spec.parenturn
              ? spec.spec.parenturn.split("::")[2].split("$")
              : ownTypes.slice(0, -1);
        const head = spec.spec.stack || spec.spec.project
            ? `urn:pulumi:${spec.spec.stack || resource.urn.split("::")[0].slice("urn:pulumi:".length)}::${spec.spec.project || resource.urn.split("::")[1]}`
            : prefix;
        return [`${head}::${[...parentTypes, type].join("$")}::${spec.spec.name || resource.name}`];
    });
}

function providerMessage(resource: CapturedResource, providers: Map<string, CapturedResource>) {
    if (!resource.custom || resource.type.startsWith("pulumi:providers:")) return undefined;
    const p = new analyzerProto.AnalyzerProviderResource();
    const ref = resource.provider;
    const urn = ref ? ref.slice(0, ref.lastIndexOf("::")) : "";
    const explicit = urn ? providers.get(urn) : undefined;
    if (explicit) {
        p.setType(explicit.type);
        p.setUrn(explicit.urn);
        p.setName(explicit.name);
        p.setProperties(toStruct(explicit.inputs));
    } else {
        // The engine's default provider for the package.
        const pkg = resource.type.split(":")[0];
        const head = resource.urn.split("::").slice(0, 2).join("::");
        p.setType(`pulumi:providers:${pkg}`);
        p.setName("default");
        p.setUrn(`${head}::pulumi:providers:${pkg}::default`);
        p.setProperties(toStruct({}));
    }
    return p;
}

function violationsOf(res: any): Violation[] {
    return res.getDiagnosticsList().map((d: any) => ({
        policyPack: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        policy: d.getPolicyname(),
        description: d.getDescription(),
        enforcementLevel: levelNames[d.getEnforcementlevel()],
        severity: severityNames[d.getSeverity?.() ?? 0] ?? "unspecified",
        urn: d.getUrn(),
        message: d.getMessage(),
    }));
}
