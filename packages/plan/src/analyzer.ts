/**
 * Runs a CrossGuard policy pack as the Pulumi CLI does: starts the pack with the
 * runner in `@pulumi/pulumi/cmd/run-policy-pack` (from the pack's own SDK copy),
 * reads the gRPC port it prints, and speaks the analyzer protocol to it
 * (GetAnalyzerInfo, ConfigureStack, Configure, Remediate, Analyze, AnalyzeStack)
 * with the SDK's own protobuf messages. Policy semantics live only in the pack.
 *
 * Every call has a limit (`--policy-timeout`); a pack that exits, throws or runs
 * past it ends the plan with exit code 4, naming the pack and what it was judging.
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { packToRun } from "./compiled-pack";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { CapturedResource } from "./runtime/capture";
import { aliasUrns } from "./runtime/aliases";
import { endProcess } from "./runtime/end-process";
import { ExitCode, PlanError } from "./errors";
import { enforcementLevels, mergePolicyConfig } from "./policy-config";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
/**
 * Preloaded into each pack's process, none changing what the pack answers: Node's
 * compile cache for the modules it loads, the SDK's unused modules deferred, and
 * each request's properties converted from protobuf once instead of once a policy.
 */
const packPreloads = ["compile-cache.cjs", "deferred-modules.cjs", "struct-conversion-cache.cjs"].map((file) => path.join(__dirname, "runtime", file));
/** Preloaded as well when the pack runs from its compiled copy, JavaScript only: the runner's ts-node registration is skipped. */
const compiledPackPreload = path.join(__dirname, "runtime", "javascript-pack.cjs");

const levelNames = enforcementLevels;
const levelNumbers: Record<EnforcementLevel, analyzerPb.EnforcementLevel> = {
    advisory: analyzerPb.EnforcementLevel.ADVISORY,
    mandatory: analyzerPb.EnforcementLevel.MANDATORY,
    disabled: analyzerPb.EnforcementLevel.DISABLED,
    remediate: analyzerPb.EnforcementLevel.REMEDIATE,
};
const severityNames = ["unspecified", "low", "medium", "high", "critical"];

/** How long one call to a pack may take, unless --policy-timeout or PLAN_POLICY_TIMEOUT (seconds) says otherwise. */
export const defaultPolicyTimeoutMs = 60_000;

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
    /** The policy's remediation steps (GetAnalyzerInfo), when it declares them. */
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

function toStruct(value: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** Packs this process started and has not stopped: one exit handler ends them all, however the plan ends. */
const livePacks = new Set<ChildProcess>();
let exitHandlerInstalled = false;
function own(child: ChildProcess): void {
    livePacks.add(child);
    child.once("exit", () => livePacks.delete(child));
    if (exitHandlerInstalled) return;
    exitHandlerInstalled = true;
    process.once("exit", () => livePacks.forEach((c) => c.kill("SIGKILL")));
}

/** Number of process "exit" listeners, so a test can tell that starting packs adds none per pack. */
export const exitListenerCount = () => process.listenerCount("exit");

/** One unary call to the pack, sent with the options (its deadline) it is given. */
type Unary<Res> = (options: Partial<grpc.CallOptions>, done: (err: grpc.ServiceError | null, res: Res) => void) => grpc.ClientUnaryCall;

/** A pack's process ended during a call: other calls in flight fail with it, so the failing one is found by a replay. */
export class PackExited extends PlanError {
    constructor(
        readonly packDir: string,
        message: string,
        detail?: string,
    ) {
        super(ExitCode.packFault, message, detail);
    }
}

/**
 * Spawns a pack's process the way the CLI does (`run-policy-pack` with an engine
 * address and the pack's directory); a TypeScript pack runs from its checked,
 * compiled copy while its sources are unchanged. Standard output carries the port.
 */
export async function spawnPack(packDir: string, stdio: StdioOptions = ["ignore", "pipe", "pipe"]): Promise<ChildProcess> {
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
    const run = await packToRun(dir);
    const preloads = run.from === "source" ? packPreloads : [...packPreloads, compiledPackPreload];
    // The CLI passes its engine address first; the pack SDK does not call back into it.
    return spawn(process.execPath, [runner, "127.0.0.1:0", run.dir], {
        cwd: run.dir,
        stdio,
        env: {
            ...process.env,
            PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY,
            NODE_OPTIONS: [process.env.NODE_OPTIONS, ...preloads.map((file) => `--require ${JSON.stringify(file)}`)].filter(Boolean).join(" "),
        },
    });
}

/** A running policy pack and a client for it. */
export class PolicyPackServer {
    /** The pack's name once GetAnalyzerInfo answered; its directory until then. */
    private packName: string;
    /** Whether any policy is configured to remediate; until Configure, assume so. */
    private remediating = true;
    private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

    private constructor(
        readonly packDir: string,
        /** The pack's process; undefined when connected to a pack someone else started. */
        private readonly child: ChildProcess | undefined,
        private readonly client: AnalyzerClient,
        private readonly stderr: () => string,
        readonly port: number,
        readonly timeoutMs: number,
    ) {
        this.packName = path.basename(packDir);
        this.exited = child
            ? new Promise((resolve) => {
                  if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
                  else child.once("exit", (code, signal) => resolve({ code, signal }));
              })
            : new Promise(() => undefined);
    }

    /** The pack's process id; undefined when connected to a pack someone else started. */
    get pid(): number | undefined {
        return this.child?.pid;
    }

    private static client(port: number): AnalyzerClient {
        return new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
    }

    /** Connects to a pack already serving on the port (started by another process); stop() leaves it running. */
    static connect(packDir: string, port: number, timeoutMs = defaultPolicyTimeoutMs): PolicyPackServer {
        return new PolicyPackServer(path.resolve(packDir), undefined, PolicyPackServer.client(port), () => "", port, timeoutMs);
    }

    /** Starts the pack the way the CLI does and waits for its gRPC port. */
    static async start(packDir: string, timeoutMs = defaultPolicyTimeoutMs): Promise<PolicyPackServer> {
        const dir = path.resolve(packDir);
        const child = await spawnPack(packDir);
        // The pack is ours alone: it must not outlive the plan, however the plan ends.
        own(child);
        let err = "";
        child.stderr!.on("data", (d) => (err += String(d)));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const settle = (done: () => void) => {
                clearTimeout(limit);
                child.stdout!.off("data", onData);
                child.off("exit", onExit);
                child.off("error", onError);
                done();
            };
            const onData = (d: Buffer) => {
                out += String(d);
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) settle(() => resolve(Number(m[1])));
            };
            const onExit = (code: number | null) =>
                settle(() => reject(new PlanError(2, `Policy pack ${packDir} exited (code ${code}) before serving:\n${(err || out).trim()}`)));
            const onError = (e: Error) => settle(() => reject(new PlanError(2, `Policy pack ${packDir} could not start: ${e.message}`)));
            // Loading a pack takes seconds on a busy machine: a start gets at least the default limit.
            const startLimitMs = Math.max(timeoutMs, defaultPolicyTimeoutMs);
            const limit = setTimeout(() => {
                child.kill("SIGKILL");
                settle(() =>
                    reject(
                        new PlanError(
                            ExitCode.packFault,
                            `Policy pack ${packDir} did not start serving within ${startLimitMs / 1000} s. Raise the limit with --policy-timeout SECONDS (or PLAN_POLICY_TIMEOUT).`,
                        ),
                    ),
                );
            }, startLimitMs);
            child.stdout!.on("data", onData);
            child.once("exit", onExit);
            child.once("error", onError);
        });
        return new PolicyPackServer(dir, child, PolicyPackServer.client(port), () => err, port, timeoutMs);
    }

    /**
     * One call to the pack within the limit. A failure names the pack, what it was
     * doing and, when the pack's process ended, its exit code and last words.
     */
    private async call<Res>(doing: string, send: Unary<Res>): Promise<Res> {
        // A few calls in flight at once: the limit then measures the pack's work on a call, not its queue.
        await this.slot();
        try {
            return await new Promise<Res>((resolve, reject) => {
                send({ deadline: Date.now() + this.timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)));
            });
        } catch (e) {
            throw await this.fault(e as grpc.ServiceError, doing);
        } finally {
            this.release();
        }
    }

    private static readonly maxInFlight = 16;
    private inFlight = 0;
    /** Calls waiting for a slot, first come first served; `waitingFrom` is the first still waiting. */
    private waiting: (() => void)[] = [];
    private waitingFrom = 0;

    private slot(): Promise<void> {
        if (this.inFlight < PolicyPackServer.maxInFlight) {
            this.inFlight++;
            return Promise.resolve();
        }
        return new Promise<void>((resolve) => this.waiting.push(resolve));
    }

    /** Hands a finished call's slot to the next waiting call, if any (thousands wait while a large program streams). */
    private release(): void {
        if (this.waitingFrom === this.waiting.length) {
            this.inFlight--;
            return;
        }
        const next = this.waiting[this.waitingFrom++];
        if (this.waitingFrom === this.waiting.length) [this.waiting, this.waitingFrom] = [[], 0];
        next();
    }

    private async fault(failure: grpc.ServiceError, doing: string): Promise<Error> {
        const pack = `Policy pack ${this.packName} (${path.relative(process.cwd(), this.packDir) || "."})`;
        if (failure.code === grpc.status.DEADLINE_EXCEEDED) {
            return new PlanError(
                ExitCode.packFault,
                `${pack} gave no answer within ${this.timeoutMs / 1000} s to ${doing}. Raise the limit with --policy-timeout SECONDS (or PLAN_POLICY_TIMEOUT).`,
            );
        }
        // A pack that died closes the connection first; its exit follows within moments.
        const ended = await Promise.race([this.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 2_000).unref())]);
        const lastWords = this.stderr().trim().split("\n").filter(Boolean).slice(-3).join(" | ");
        if (ended) {
            const how = ended.code !== null ? `exited with code ${ended.code}` : `was killed by ${ended.signal}`;
            return new PackExited(this.packDir, `${pack} ${how} while answering ${doing}${lastWords ? `: ${lastWords}` : "."}`, this.stderr());
        }
        return new PlanError(ExitCode.packFault, `${pack} failed while answering ${doing}: ${failure.details || failure.message}`, this.stderr());
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const info = await this.call<analyzerPb.AnalyzerInfo>("GetAnalyzerInfo", (options, done) =>
            this.client.getAnalyzerInfo(new Empty(), new grpc.Metadata(), options, done),
        );
        this.packName = info.getName();
        const initialConfig: AnalyzerInfo["initialConfig"] = {};
        for (const [name, cfg] of info.getInitialconfigMap().entries()) {
            // An entry with properties alone carries the protocol's default level, ADVISORY, and the engine reads it so.
            initialConfig[name] = {
                ...cfg.getProperties()?.toJavaScript(),
                enforcementLevel: levelNames[cfg.getEnforcementlevel()],
            };
        }
        return {
            name: info.getName(),
            version: info.getVersion(),
            supportsConfig: info.getSupportsconfig(),
            initialConfig,
            policies: info.getPoliciesList().map((p) => {
                const fw = p.getFramework();
                return {
                    name: p.getName(),
                    displayName: p.getDisplayname(),
                    description: p.getDescription(),
                    enforcementLevel: levelNames[p.getEnforcementlevel()],
                    severity: severityNames[p.getSeverity()] ?? "unspecified",
                    framework: fw
                        ? { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() }
                        : undefined,
                    tags: p.getTagsList(),
                    remediationSteps: p.getRemediationSteps(),
                    url: p.getUrl(),
                    configSchema: p.getConfigschema()?.getProperties()?.toJavaScript(),
                    configRequired: p.getConfigschema()?.getRequiredList() ?? [],
                } satisfies PolicyInfo;
            }),
        };
    }

    /** Tells the pack which stack it judges, as the CLI does before analysis. */
    async configureStack(stack: StackInfo): Promise<void> {
        const req = new analyzerPb.AnalyzerStackConfigureRequest();
        req.setStack(stack.stack);
        req.setProject(stack.project);
        req.setOrganization(stack.organization ?? "organization");
        req.setDryRun(true);
        for (const [k, v] of Object.entries(stack.config)) req.getConfigMap().set(k, v);
        req.setConfigSecretKeysList(stack.secretKeys);
        try {
            await new Promise<void>((resolve, reject) =>
                this.client.configureStack(req, new grpc.Metadata(), { deadline: Date.now() + this.timeoutMs }, (err) => (err ? reject(err) : resolve())),
            );
        } catch (e) {
            // Packs built on an older SDK do not implement it; the CLI tolerates that too.
            if ((e as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED)
                throw await this.fault(e as grpc.ServiceError, `the stack it judges (ConfigureStack of ${stack.stack})`);
        }
    }

    /**
     * Sends the pack's configuration: its initial config overlaid with the user's
     * (policy-config.ts). Returns each policy's effective enforcement level.
     */
    async configure(info: AnalyzerInfo, userConfig: PolicyPackConfig = {}): Promise<Record<string, EnforcementLevel>> {
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        const merged = mergePolicyConfig(info, userConfig);
        this.remediating = Object.values(merged).some((c) => c.enforcementLevel === "remediate");
        for (const [policy, { enforcementLevel, properties }] of Object.entries(merged)) {
            const pc = new analyzerPb.PolicyConfig();
            pc.setEnforcementlevel(levelNumbers[enforcementLevel]);
            pc.setProperties(toStruct(properties));
            req.getPolicyconfigMap().set(policy, pc);
        }
        await this.call<Empty>("its configuration (Configure)", (options, done) => this.client.configure(req, new grpc.Metadata(), options, done));
        return Object.fromEntries(Object.entries(merged).map(([policy, c]) => [policy, c.enforcementLevel]));
    }

    /** Whether the configured pack has a policy at level "remediate": then each resource is fixed before it is judged. */
    get remediates(): boolean {
        return this.remediating;
    }

    /**
     * Asks the pack's remediating policies (enforcement level "remediate") to fix a
     * resource before it is judged, as the engine does; returns the fixes in order.
     */
    async remediate(resource: CapturedResource, providers: Map<string, CapturedResource>): Promise<Remediation[]> {
        // The pack runs only policies at level "remediate": with none configured so, its answer is empty.
        if (!this.remediating) return [];
        const req = this.request(resource, providers);
        const res = await this.call<analyzerPb.RemediateResponse>(`Remediate of ${resource.urn}`, (options, done) =>
            this.client.remediate(req, new grpc.Metadata(), options, done),
        );
        return res.getRemediationsList().map((r) => ({
            policyPack: r.getPolicypackname(),
            policy: r.getPolicyname(),
            description: r.getDescription(),
            urn: resource.urn,
            properties: r.getProperties()?.toJavaScript(),
            diagnostic: r.getDiagnostic(),
        }));
    }

    private request(resource: CapturedResource, providers: Map<string, CapturedResource>): analyzerPb.AnalyzeRequest {
        const req = new analyzerPb.AnalyzeRequest();
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
        const req = this.request(resource, providers);
        const res = await this.call<analyzerPb.AnalyzeResponse>(`Analyze of ${resource.urn}`, (options, done) =>
            this.client.analyze(req, new grpc.Metadata(), options, done),
        );
        // The engine attributes a resource's diagnostics to the resource it asked about.
        return violationsOf(res).map((v) => ({ ...v, urn: v.urn || resource.urn }));
    }

    async analyzeStack(resources: CapturedResource[], providers: Map<string, CapturedResource>): Promise<Violation[]> {
        const req = new analyzerPb.AnalyzeStackRequest();
        req.setResourcesList(
            resources.map((resource) => {
                const r = new analyzerPb.AnalyzerResource();
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
        const res = await this.call<analyzerPb.AnalyzeResponse>(`AnalyzeStack of ${resources.length} resources`, (options, done) =>
            this.client.analyzeStack(req, new grpc.Metadata(), options, done),
        );
        return violationsOf(res);
    }

    /** Output the pack wrote to stderr (its console.error, crashes). */
    diagnostics(): string {
        return this.stderr();
    }

    async stop(): Promise<void> {
        this.client.close();
        if (this.child) await endProcess(this.child);
    }
}

function optionsMessage(resource: CapturedResource): analyzerPb.AnalyzerResourceOptions {
    const o = new analyzerPb.AnalyzerResourceOptions();
    o.setProtect(resource.options.protect);
    o.setIgnorechangesList(resource.options.ignoreChanges);
    o.setDeletebeforereplace(resource.options.deleteBeforeReplace);
    o.setDeletebeforereplacedefined(resource.options.deleteBeforeReplace);
    o.setAdditionalsecretoutputsList(resource.options.additionalSecretOutputs);
    o.setAliasesList(aliasUrns(resource));
    o.setParent(resource.parent ?? "");
    return o;
}

function providerMessage(resource: CapturedResource, providers: Map<string, CapturedResource>): analyzerPb.AnalyzerProviderResource | undefined {
    if (!resource.custom || resource.type.startsWith("pulumi:providers:")) return undefined;
    const p = new analyzerPb.AnalyzerProviderResource();
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

function violationsOf(res: analyzerPb.AnalyzeResponse): Violation[] {
    return res.getDiagnosticsList().map((d) => ({
        policyPack: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        policy: d.getPolicyname(),
        description: d.getDescription(),
        enforcementLevel: levelNames[d.getEnforcementlevel()],
        severity: severityNames[d.getSeverity()] ?? "unspecified",
        urn: d.getUrn(),
        message: d.getMessage(),
    }));
}
