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
import * as path from "node:path";
import { PolicySession } from "../../tools/plan/plan";
import type { PolicyPackConfig, Violation } from "../../tools/plan/analyzer";
import { secretSig, secretSigKey, unknownValue, type CapturedResource } from "../../tools/plan/capture";

export const policiesDir = path.resolve(__dirname, "../../policies");

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
}

export function usePolicyPack(options: { stack?: string; project?: string; config?: PolicyPackConfig } = {}) {
    let session: PolicySession | undefined;
    const sessions = new Map<string, PolicySession>();
    beforeAll(async () => {
        session = await PolicySession.start([policiesDir], options.config ?? {});
    }, 60_000);
    afterAll(async () => {
        await session?.stop();
        await Promise.all([...sessions.values()].map((s) => s.stop()));
    });

    const stack = options.stack ?? "test-prod";
    const project = options.project ?? "multicloud";
    const toCaptured = (spec: ResourceSpec, i: number): CapturedResource[] => {
        const name = spec.name ?? `r${i}`;
        const urn = `urn:pulumi:${stack}::${project}::${spec.type}::${name}`;
        const providerUrn = spec.provider ? `urn:pulumi:${stack}::${project}::${spec.provider.type}::p${i}` : undefined;
        const options = {
            protect: spec.protect ?? false,
            retainOnDelete: false,
            deleteBeforeReplace: false,
            ignoreChanges: [],
            replaceOnChanges: [],
            additionalSecretOutputs: [],
            aliases: [],
            dependsOn: [],
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
            inputs: spec.inputs,
            outputs: {},
        };
        if (!spec.provider || !providerUrn) return [own];
        return [
            { urn: providerUrn, type: spec.provider.type, name: `p${i}`, custom: true, read: false, options, inputs: spec.provider.inputs, outputs: {} },
            own,
        ];
    };

    return {
        /** Violations for a set of raw resources, from Analyze and AnalyzeStack. */
        async judge(resources: ResourceSpec[], judgeOptions: { config?: Record<string, string>; policyConfig?: PolicyPackConfig } = {}): Promise<Violation[]> {
            let s = session!;
            if (judgeOptions.policyConfig) {
                const key = JSON.stringify(judgeOptions.policyConfig);
                if (!sessions.has(key)) sessions.set(key, await PolicySession.start([policiesDir], judgeOptions.policyConfig));
                s = sessions.get(key)!;
            }
            return s.judge(project, stack, judgeOptions.config ?? {}, [], resources.flatMap(toCaptured));
        },
        /** Names of the policies that reported, for compact assertions. */
        async policiesHit(resources: ResourceSpec[], judgeOptions?: { config?: Record<string, string>; policyConfig?: PolicyPackConfig }): Promise<string[]> {
            return [...new Set((await this.judge(resources, judgeOptions)).map((v) => v.policy))].sort();
        },
    };
}
