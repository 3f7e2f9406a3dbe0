/**
 * Builds what plan.ts plans, through each cloud's kit: every end once (its
 * gateway), then both ends of each link's tunnels, and what the stack shows of
 * them. An end that makes its outside addresses per peer (AWS) connects first;
 * its peer then points at those addresses. Every value one end needs from the
 * other comes from that end's handle or connection, or from the plan.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CloudKit, Environment, LinkConnection, LinkHandle, LinkPeer, LinkTunnelSpec } from "../../components/contracts";
import { ConfigError } from "../../components/core/errors";
import { loadAddressPlan, type AddressPlan } from "../address-plan";
import { costTags, withCostTags } from "../cost-tags";
import { linkCiphers, plannedTunnels, tunnelKey, type PlannedEnd, type PlannedLink } from "./plan";

export interface LinkBuildContext {
    environment: Environment;
    /** The private cloud's edge router's public addresses, from the stack's configuration. */
    edgeAddresses: string[];
    /** The secret every tunnel's key is derived from. */
    keySeed: pulumi.Output<string>;
    /** The kit that builds an end: its cloud's, for the end's region (and project). */
    kitOf(end: PlannedEnd): CloudKit;
    /** The network an end joins, from its workload stack's outputs. */
    networkIdOf(end: PlannedEnd): pulumi.Output<string>;
    plan?: AddressPlan;
}

export interface BuiltLink {
    link: PlannedLink;
    caller: LinkConnection;
    callee: LinkConnection;
    /** Each tunnel's key, a secret, in tunnel order. */
    keys: pulumi.Output<string>[];
}

/**
 * Every end: under a component that tags what it holds with its own workload's
 * cost keys (the network it joins is that workload's), so the links' cost is
 * attributed where the networks are.
 */
export function buildEnds(ends: PlannedEnd[], context: LinkBuildContext): Map<string, LinkHandle> {
    const handles = new Map<string, LinkHandle>();
    for (const end of ends) {
        const tags = costTags({ workload: end.stack.workload, environment: context.environment, costCenter: end.stack.costCenter });
        // A transformation, run by the SDK for each child as it is registered, as the workload stacks' own tag transform is.
        const parent = new pulumi.ComponentResource(
            "multicloud:links:End",
            end.name,
            {},
            {
                transformations: [
                    ({ type, props, opts }) => {
                        // Components and providers are in no cloud's catalog of taggable types, so they pass untouched.
                        const tagged = withCostTags(type, props, tags);
                        return tagged ? { props: tagged, opts } : undefined;
                    },
                ],
            },
        );
        const spec = { environment: context.environment, zoneCount: end.stack.zoneCount, asn: end.asn, ranges: end.ranges };
        const kit = context.kitOf(end);
        handles.set(
            end.name,
            end.cloud === "onprem"
                ? kit.link(end.name, { ...spec, edgeAddresses: context.edgeAddresses }, { parent })
                : kit.link(end.name, { ...spec, networkId: context.networkIdOf(end) }, { parent }),
        );
    }
    return handles;
}

/** The outside addresses an end has toward a peer: its gateway's, or where it makes them per peer, per the peer's addresses. */
export function outsideCount(handle: LinkHandle, peer: LinkHandle): number {
    return handle.addressCount || (handle.tunnelsPerPeerAddress ?? 0) * peer.addressCount;
}

/** Both ends' tunnels of one link. */
export function buildLink(link: PlannedLink, handles: Map<string, LinkHandle>, context: LinkBuildContext): BuiltLink {
    const [a, b] = [handles.get(link.caller.name)!, handles.get(link.callee.name)!];
    if (a.addressCount === 0 && b.addressCount === 0) {
        throw new ConfigError(
            `The link ${link.name}: neither end has outside addresses before its peer (${a.cloud}, ${b.cloud}); one end must have a gateway.`,
        );
    }
    const keys: pulumi.Output<string>[] = [];
    const sharedKey = (t: number) => (keys[t] ??= context.keySeed.apply((seed) => tunnelKey(seed, link.name, t)));
    const tunnels = plannedTunnels(link, { caller: outsideCount(a, b), callee: outsideCount(b, a) }, sharedKey, context.plan ?? loadAddressPlan());
    const ciphers = linkCiphers(link);
    const peer = (end: PlannedEnd, addresses: pulumi.Input<string[]>, addressCount: number, own: LinkTunnelSpec[]): LinkPeer => ({
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
        const caller = a.connect(callerName, peer(link.callee, b.addresses, b.addressCount, tunnels.caller));
        const callee = b.connect(calleeName, peer(link.caller, caller.tunnelAddresses, outsideCount(a, b), tunnels.callee));
        return { link, caller, callee, keys };
    }
    if (b.addressCount === 0) {
        const callee = b.connect(calleeName, peer(link.caller, a.addresses, a.addressCount, tunnels.callee));
        const caller = a.connect(callerName, peer(link.callee, callee.tunnelAddresses, outsideCount(b, a), tunnels.caller));
        return { link, caller, callee, keys };
    }
    const caller = a.connect(callerName, peer(link.callee, b.addresses, b.addressCount, tunnels.caller));
    const callee = b.connect(calleeName, peer(link.caller, a.addresses, a.addressCount, tunnels.callee));
    return { link, caller, callee, keys };
}

/** What the stack shows: every link with both ends as each runs it (no key); the edge router's parameters; its keys as one secret. */
export function linkOutputs(built: BuiltLink[]) {
    const endOutput = (end: PlannedEnd) => ({ workload: end.stack.workload, stack: end.stack.name, cloud: end.cloud, ranges: end.ranges });
    const onEdge = built.flatMap((b) => [
        ...(b.link.caller.cloud === "onprem" ? [{ name: `${b.link.caller.name}-to-${b.link.callee.name}`, connection: b.caller, keys: b.keys }] : []),
        ...(b.link.callee.cloud === "onprem" ? [{ name: `${b.link.callee.name}-to-${b.link.caller.name}`, connection: b.callee, keys: b.keys }] : []),
    ]);
    return {
        links: Object.fromEntries(
            built.map((b) => [
                b.link.name,
                {
                    caller: { ...endOutput(b.link.caller), ...b.caller.configuration },
                    callee: { ...endOutput(b.link.callee), ...b.callee.configuration },
                    tunnels: b.keys.length,
                },
            ]),
        ),
        edge: Object.fromEntries(onEdge.map((e) => [e.name, e.connection.configuration])),
        edgeKeys: pulumi.secret(Object.fromEntries(onEdge.map((e) => [e.name, pulumi.all(e.keys)]))),
    };
}
