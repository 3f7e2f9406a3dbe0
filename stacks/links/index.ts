/**
 * The links of one environment: both ends of every private, encrypted,
 * BGP-routed link between workloads that call each other across clouds.
 *
 * What to join comes from the workload stacks' files (stacks/Pulumi.*.yaml:
 * `multicloud:references` and `multicloud:clouds`, see plan.ts) and the address
 * plan; each network comes from its own stack's outputs (`networkId`, read with
 * a StackReference). One hosted stack builds both ends, because each end needs
 * the other's outside addresses and the private cloud's stacks run inside it
 * without cloud credentials: its end, the edge router, is rendered as the
 * parameters its operators configure (`edge`, keys apart in `edgeKeys`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud, CloudKit, CreateKit, Environment, LinkConnection, LinkHandle } from "../../components/contracts";
import { ConfigError } from "../../components/core/errors";
import { costTags, withCostTags } from "../cost-tags";
import { readWorkloadStacks } from "../peers";
import { linkCiphers, planLinks, plannedTunnels, tunnelKey, type PlannedEnd, type PlannedLink } from "./plan";

/* eslint-disable @typescript-eslint/no-require-imports */
/** Only the kits an environment's links use are loaded: each provider SDK costs most of a second. */
const kitModules: Record<Cloud, () => { createKit: CreateKit }> = {
    aws: () => require("../../components/aws/kit"),
    gcp: () => require("../../components/gcp/kit"),
    alicloud: () => require("../../components/alicloud/kit"),
    onprem: () => require("../../components/kubernetes/kit"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const config = new pulumi.Config();
const environment = config.require("environment") as Environment;
if (environment !== "dev" && environment !== "prod") {
    throw new ConfigError(`Invalid configuration in stacks/links/Pulumi.${pulumi.getStack()}.yaml: multicloud-links:environment = ${JSON.stringify(environment)}: valid values: "dev", "prod".`);
}
const edgeAddresses = config.getObject<string[]>("edgeAddresses") ?? [];
const keySeed = config.requireSecret("tunnelKeySeed");
const workloadProject = config.require("workloadProject");

const { ends, links } = planLinks(readWorkloadStacks(), environment);

/** One kit per cloud, region and project: each with its own explicit provider. */
const kits = new Map<string, CloudKit>();
function kitOf(end: PlannedEnd): CloudKit {
    const { cloud, stack } = end;
    const region = cloud === "onprem" ? "onprem" : stack.regions[cloud];
    const name = ["links", cloud, ...(cloud === "gcp" ? [stack.gcpProject] : []), ...(cloud === "onprem" ? [] : [region])].join("-");
    if (!kits.has(name)) kits.set(name, kitModules[cloud]().createKit({ environment, name, region, project: stack.gcpProject }));
    return kits.get(name)!;
}

/** Each workload stack's outputs, read once. */
const references = new Map<string, pulumi.StackReference>();
function networkIdOf(end: PlannedEnd): pulumi.Output<string> {
    const { stack, cloud } = end;
    if (!references.has(stack.name)) {
        references.set(stack.name, new pulumi.StackReference(`${stack.name}-reference`, { name: `${pulumi.getOrganization()}/${workloadProject}/${stack.name}` }));
    }
    return references.get(stack.name)!.getOutput(cloud).apply((outputs: { networkId?: string } | undefined) => {
        if (!outputs?.networkId) throw new Error(`Stack ${stack.name} exports no ${cloud}.networkId: apply it (placed on ${cloud}) before the links.`);
        return outputs.networkId;
    });
}

/**
 * Every end: a component that tags what it holds with its own workload's cost
 * keys (the network it joins is that workload's), so the links' cost is
 * attributed where the networks are.
 */
const handles = new Map<string, LinkHandle>();
for (const end of ends) {
    const tags = costTags({ workload: end.stack.workload, environment, costCenter: end.stack.costCenter });
    // A transformation, run by the SDK for each child as it is registered, as the workload stacks' own tag transform is.
    const parent = new pulumi.ComponentResource("multicloud:links:End", end.name, {}, {
        transformations: [
            ({ type, props, opts }) => {
                // Components and providers are in no cloud's catalog of taggable types, so they pass untouched.
                const tagged = withCostTags(type, props as Record<string, unknown>, tags);
                return tagged ? { props: tagged, opts } : undefined;
            },
        ],
    });
    const spec = { environment, zoneCount: end.stack.zoneCount, asn: end.asn, ranges: end.ranges };
    handles.set(
        end.name,
        end.cloud === "onprem" ? kitOf(end).link(end.name, { ...spec, edgeAddresses }, { parent }) : kitOf(end).link(end.name, { ...spec, networkId: networkIdOf(end) }, { parent }),
    );
}

/** The outside addresses an end has toward a peer: its gateway's, or where it makes them per peer, per the peer's addresses. */
function outsideCount(handle: LinkHandle, peer: LinkHandle): number {
    return handle.addressCount || (handle.tunnelsPerPeerAddress ?? 0) * peer.addressCount;
}

interface BuiltLink {
    link: PlannedLink;
    caller: LinkConnection;
    callee: LinkConnection;
    keys: pulumi.Output<string>[];
}

/** Both ends' tunnels. An end that makes its addresses per peer (AWS) connects first; the other then points at those addresses. */
function buildLink(link: PlannedLink): BuiltLink {
    const [a, b] = [handles.get(link.caller.name)!, handles.get(link.callee.name)!];
    if (a.addressCount === 0 && b.addressCount === 0) {
        throw new ConfigError(`The link ${link.name}: neither end has outside addresses before its peer (${a.cloud}, ${b.cloud}); one end must have a gateway.`);
    }
    const keys: pulumi.Output<string>[] = [];
    const sharedKey = (t: number) => (keys[t] ??= keySeed.apply((seed) => tunnelKey(seed, link.name, t)));
    const tunnels = plannedTunnels(link, { caller: outsideCount(a, b), callee: outsideCount(b, a) }, sharedKey);
    const ciphers = linkCiphers(link);
    const peerOf = (end: PlannedEnd, addresses: pulumi.Input<string[]>, addressCount: number, own: typeof tunnels.caller) => ({
        cloud: end.cloud,
        asn: end.asn,
        ranges: end.ranges,
        addresses,
        addressCount,
        ciphers,
        tunnels: own,
    });
    const [callerName, calleeName] = [`${link.caller.name}-to-${link.callee.name}`, `${link.callee.name}-to-${link.caller.name}`];
    if (a.addressCount === 0) {
        const caller = a.connect(callerName, peerOf(link.callee, b.addresses, b.addressCount, tunnels.caller));
        const callee = b.connect(calleeName, peerOf(link.caller, caller.tunnelAddresses, outsideCount(a, b), tunnels.callee));
        return { link, caller, callee, keys };
    }
    if (b.addressCount === 0) {
        const callee = b.connect(calleeName, peerOf(link.caller, a.addresses, a.addressCount, tunnels.callee));
        const caller = a.connect(callerName, peerOf(link.callee, callee.tunnelAddresses, outsideCount(b, a), tunnels.caller));
        return { link, caller, callee, keys };
    }
    const caller = a.connect(callerName, peerOf(link.callee, b.addresses, b.addressCount, tunnels.caller));
    const callee = b.connect(calleeName, peerOf(link.caller, a.addresses, a.addressCount, tunnels.callee));
    return { link, caller, callee, keys };
}

const built = links.map(buildLink);
const endOutput = (end: PlannedEnd) => ({ workload: end.stack.workload, stack: end.stack.name, cloud: end.cloud, asn: end.asn, ranges: end.ranges });
const onEdge = built.flatMap((b) => [
    ...(b.link.caller.cloud === "onprem" ? [{ name: `${b.link.caller.name}-to-${b.link.callee.name}`, connection: b.caller, keys: b.keys }] : []),
    ...(b.link.callee.cloud === "onprem" ? [{ name: `${b.link.callee.name}-to-${b.link.caller.name}`, connection: b.callee, keys: b.keys }] : []),
]);

/** Every link, both ends as each runs it; no key. */
const linksOut = Object.fromEntries(
    built.map((b) => [
        b.link.name,
        { caller: { ...endOutput(b.link.caller), ...b.caller.configuration }, callee: { ...endOutput(b.link.callee), ...b.callee.configuration }, tunnels: b.keys.length },
    ]),
);
export { linksOut as links };
/** What the private cloud's edge router must be set to, per peer. */
export const edge = Object.fromEntries(onEdge.map((e) => [e.name, e.connection.configuration]));
/** The edge's pre-shared keys, per peer and tunnel: a secret (`pulumi stack output edgeKeys --show-secrets`). */
export const edgeKeys = pulumi.secret(Object.fromEntries(onEdge.map((e) => [e.name, pulumi.all(e.keys)])));
