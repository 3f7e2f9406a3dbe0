/**
 * Policy tests go through the real analyzer server, as the Pulumi CLI runs the pack:
 * one server per test file, started in beforeAll and stopped in afterAll.
 *
 *   const pack = usePolicyPack();
 *   test("...", async () => {
 *       const v = await pack.judge([{ type: "aws:efs/fileSystem:FileSystem", inputs: { encrypted: false } }]);
 *       expect(v.map((x) => x.policy)).toContain("efs-encrypted");
 *   });
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PolicySession } from "pulumi-offline-plan";
import type { PolicyInfo, PolicyPackConfig, Violation } from "pulumi-offline-plan";
import { secretSig, secretSigKey, unknownValue, type CapturedResource } from "pulumi-offline-plan/runtime";
import { fixture } from "./cli";

/** By its real directory, as test/global-setup.ts starts it. */
export const policiesDir = fs.realpathSync(path.resolve(__dirname, "../../policies"));

/** The protocol's forms of a secret and an unknown, for inputs of hand-made resources. */
export const secret = (value: unknown) => ({ [secretSigKey]: secretSig, value });
export const unknown = unknownValue;

export interface ResourceSpec {
    type: string;
    name?: string;
    inputs: Record<string, unknown>;
    /** Resource options the engine sends (protect, parent). */
    protect?: boolean;
    parent?: string;
    /** Provider inputs (for example { region: "eu-west-1" }); a default provider when unset. */
    provider?: { type: string; inputs: Record<string, unknown> };
    /** Names of other judged resources this one depends on, as the engine sends dependencies. */
    dependsOn?: string[];
}

/**
 * The policy session of this test file: over its Jest worker's shared pack server
 * (test/global-setup.ts) when there is one, else over a server of its own.
 */
export async function policySession(config: PolicyPackConfig = {}): Promise<PolicySession> {
    const ports = (process.env.POLICY_PACK_PORTS ?? "").split(",").filter(Boolean).map(Number);
    const worker = Number(process.env.JEST_WORKER_ID ?? "1");
    if (ports.length > 0) return PolicySession.attach([{ dir: policiesDir, port: ports[(worker - 1) % ports.length] }], config);
    return PolicySession.start([policiesDir], config);
}

/** The project pack's policies as GetAnalyzerInfo describes them, read once in beforeAll for this test file. */
export function usePackPolicies(): () => PolicyInfo[] {
    let policies: PolicyInfo[] = [];
    beforeAll(async () => {
        const session = await policySession();
        try {
            policies = session.infos[0].policies;
        } finally {
            await session.stop();
        }
    }, 60_000);
    return () => policies;
}

/**
 * A session over a fixture pack (`test/fixtures/NAME`) for this test file: started in
 * beforeAll, stopped in afterAll. What the pack must inherit (an environment) is set
 * in a beforeAll declared before this call.
 */
export function useFixturePack(name: string): () => PolicySession {
    let session: PolicySession | undefined;
    beforeAll(async () => {
        session = await PolicySession.start([fixture(name)]);
    }, 60_000);
    afterAll(() => session?.stop());
    return () => session!;
}

export interface PolicyPackOptions {
    stack?: string;
    project?: string;
    config?: PolicyPackConfig;
    /**
     * Leave the SDK's "can't run policy ... during preview" notices (raised when a
     * policy reads a value not known yet) out of `policiesHit`.
     */
    ignorePreviewNotices?: boolean;
}

export function usePolicyPack(options: PolicyPackOptions = {}) {
    const sessions = new Map<string, PolicySession>();
    const sessionFor = async (config: PolicyPackConfig) => {
        const key = JSON.stringify(config);
        if (!sessions.has(key)) sessions.set(key, await policySession(config));
        return sessions.get(key)!;
    };
    beforeAll(() => sessionFor(options.config ?? {}), 60_000);
    afterAll(() => Promise.all([...sessions.values()].map((s) => s.stop())));

    const stack = options.stack ?? "test-prod";
    const project = options.project ?? "multicloud";
    const urnOf = (spec: ResourceSpec, i: number) => `urn:pulumi:${stack}::${project}::${spec.type}::${spec.name ?? `r${i}`}`;
    const toCaptured = (spec: ResourceSpec, i: number, all: ResourceSpec[]): CapturedResource[] => {
        const name = spec.name ?? `r${i}`;
        const urn = urnOf(spec, i);
        const providerUrn = spec.provider ? `urn:pulumi:${stack}::${project}::${spec.provider.type}::p${i}` : undefined;
        const dependsOn = (spec.dependsOn ?? []).map((dep) => {
            const j = all.findIndex((r, k) => (r.name ?? `r${k}`) === dep);
            if (j < 0) throw new Error(`dependsOn names "${dep}", which is not among the resources judged`);
            return urnOf(all[j], j);
        });
        const options = {
            protect: spec.protect ?? false,
            retainOnDelete: false,
            deleteBeforeReplace: false,
            ignoreChanges: [],
            replaceOnChanges: [],
            additionalSecretOutputs: [],
            aliases: [],
            dependsOn,
        };
        const own: CapturedResource = {
            urn,
            type: spec.type,
            name,
            custom: true,
            read: false,
            parent: spec.parent,
            provider: providerUrn ? `${providerUrn}::id${i}` : undefined,
            options,
            // Fields set to undefined are left out, as the engine sends them.
            inputs: JSON.parse(JSON.stringify(spec.inputs)),
        };
        if (!spec.provider || !providerUrn) return [own];
        return [
            {
                urn: providerUrn,
                type: spec.provider.type,
                name: `p${i}`,
                custom: true,
                read: false,
                options: { ...options, dependsOn: [] },
                inputs: spec.provider.inputs,
            },
            own,
        ];
    };

    return {
        /** Violations for a set of raw resources, from Analyze and AnalyzeStack. */
        async judge(resources: ResourceSpec[], judgeOptions: { config?: Record<string, string>; policyConfig?: PolicyPackConfig } = {}): Promise<Violation[]> {
            const session = await sessionFor(judgeOptions.policyConfig ?? options.config ?? {});
            return session.judge(
                project,
                stack,
                judgeOptions.config ?? {},
                [],
                resources.flatMap((r, i) => toCaptured(r, i, resources)),
            );
        },
        /** Names of the policies that reported, for compact assertions. */
        async policiesHit(resources: ResourceSpec[], judgeOptions?: { config?: Record<string, string>; policyConfig?: PolicyPackConfig }): Promise<string[]> {
            const violations = await this.judge(resources, judgeOptions);
            const shown = options.ignorePreviewNotices ? violations.filter((v) => !v.message.includes("can't run policy")) : violations;
            return [...new Set(shown.map((v) => v.policy))].sort();
        },
    };
}
