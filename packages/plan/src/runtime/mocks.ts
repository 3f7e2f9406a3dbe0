/**
 * The mocks behind the offline plan and the component tests.
 *
 * In a preview (the plan), a new resource's cloud-assigned outputs (ids, ARNs,
 * addresses) are not known yet, so the mock returns only the inputs and the SDK
 * marks every other output unknown, as `pulumi preview` does. In an update-like
 * run (component tests), the mock fills realistic ids, ARNs, names and links.
 */
import type { ResourceTransform } from "@pulumi/pulumi";
import type { MockCallArgs, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime/mocks";
import { createHash } from "node:crypto";
import { answerCall, type ProviderConfig } from "../data-sources";
import { offlineAccountId } from "../data-sources/aws";
import { unknownValue } from "./capture";

export interface PlanMocksOptions {
    /** True for the plan: cloud-assigned outputs stay unknown. */
    preview: boolean;
    /** Answers `pulumi:pulumi:StackReference` reads: outputs by referenced stack name. */
    stackOutputs?: (stackName: string) => Record<string, unknown>;
    /** Receives stack transforms so they run on every resource, as the engine runs them. */
    registerTransform?: (transform: ResourceTransform) => void;
    /** Told of every provider function answered, whether the answer was a stand-in, and for what. */
    onCall?: (token: string, standIn: boolean, standInFor: string[]) => void;
    /**
     * The configuration of the provider a function is called with, by the package
     * and the call's provider reference (`<urn>::<id>`; empty for the default provider).
     */
    providerConfig?: (pkg: string, providerReference: string | undefined) => ProviderConfig;
}

const shortHash = (text: string, length = 17) => createHash("sha256").update(text).digest("hex").slice(0, length);

/** The id the offline mocks give a resource, for tests that follow one resource's reference to another. */
export function offlineId(type: string, name: string, inputs: Record<string, unknown> = {}): string {
    return realisticOutputs({ type, name, inputs }).id;
}

/** A realistic id and a few outputs by resource family; only for update-like runs. */
function realisticOutputs(args: MockResourceArgs): { id: string; extra: Record<string, unknown> } {
    const [pkg, module = "", kind = ""] = args.type.split(":");
    const hash = shortHash(`${args.type}/${args.name}`);
    if (pkg === "aws") {
        const service = module.split("/")[0];
        const id = `${kind.toLowerCase().slice(0, 4)}-${hash}`;
        return {
            id,
            extra: {
                arn: `arn:aws:${service}:eu-west-1:${offlineAccountId}:${kind.toLowerCase()}/${args.name}`,
                dnsName: kind === "LoadBalancer" ? `${args.name}-${hash.slice(0, 8)}.eu-west-1.elb.amazonaws.com` : undefined,
            },
        };
    }
    if (pkg === "gcp") {
        const id = `projects/offline-project/${kind.toLowerCase()}s/${args.name}`;
        return {
            id,
            extra: {
                selfLink: `https://www.googleapis.com/compute/v1/${id}`,
                name: args.inputs.name ?? args.name,
            },
        };
    }
    if (pkg === "alicloud") return { id: `${kind.toLowerCase().slice(0, 3)}-${hash}`, extra: {} };
    if (pkg === "kubernetes") {
        const ns = args.inputs?.metadata?.namespace;
        const name = args.inputs?.metadata?.name ?? args.name;
        return { id: ns ? `${ns}/${name}` : name, extra: { metadata: { ...args.inputs?.metadata, name } } };
    }
    return { id: `${args.name}-${hash.slice(0, 8)}`, extra: {} };
}

export function planMocks(options: PlanMocksOptions) {
    return {
        newResource(args: MockResourceArgs): MockResourceResult {
            if (args.type === "pulumi:pulumi:StackReference") {
                const name = String(args.inputs.name);
                // A stack not planned here: every output unknown, as a preview shows values it cannot know yet.
                const outputs = options.stackOutputs?.(name) ?? unknownValue;
                return { id: name, state: { name, outputs, secretOutputNames: [] } };
            }
            if (options.preview) {
                // Importing or reading keeps the given id; a new resource has none yet.
                return { id: args.id || undefined, state: { ...args.inputs } };
            }
            const { id, extra } = realisticOutputs(args);
            const defined = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined));
            // Inputs win, except where the cloud fills a field the inputs leave out (a Kubernetes object's name).
            const state: Record<string, unknown> = { ...defined, ...args.inputs };
            if (defined.metadata) state.metadata = defined.metadata;
            return { id: args.id || id, state };
        },
        call(args: MockCallArgs): Record<string, unknown> {
            const pkg = args.token.split(":")[0];
            const { outputs, standIn, standInFor } = answerCall(args.token, args.inputs, options.providerConfig?.(pkg, args.provider || undefined));
            options.onCall?.(args.token, standIn, standInFor);
            return outputs;
        },
        registerTransform(transform: ResourceTransform) {
            options.registerTransform?.(transform);
        },
    };
}
