/**
 * Which links an environment needs, from the workload stacks' files alone: one
 * per call across clouds (a reference between two placements on different
 * clouds), with both ends' planned ranges, ASNs and the tunnels' inside ranges.
 * Pure, no resources: the program (index.ts) builds what this plans.
 */
import { createHmac } from "node:crypto";
import type { Cloud, Environment, LinkTunnelSpec } from "../../components/contracts";
import { clouds } from "../../components/clouds";
import { agreedCiphers, insideAddresses, tunnelLayout } from "../../components/core/link";
import { checkRequestedRange, linkAsn, loadAddressPlan, plannedRanges, tunnelInsideRanges, type AddressPlan } from "../address-plan";
import { crossCloudCalls, type WorkloadStack } from "../peers";

/** One network's end: a workload's network on one cloud. */
export interface PlannedEnd {
    /** `<workload>-<cloud>`: names the end's resources. */
    name: string;
    stack: WorkloadStack;
    cloud: Cloud;
    asn: number;
    /** The network's planned ranges: what the end advertises, exactly. */
    ranges: string[];
}

export interface PlannedLink {
    /** `<caller end>-to-<callee end>`: names the link's keys and outputs. */
    name: string;
    caller: PlannedEnd;
    callee: PlannedEnd;
}

/** Every end and link of an environment; an end is planned once however many links it has. */
export function planLinks(
    stacks: WorkloadStack[],
    environment: Environment,
    plan: AddressPlan = loadAddressPlan(),
): { ends: PlannedEnd[]; links: PlannedLink[] } {
    const ends = new Map<string, PlannedEnd>();
    const endOf = (stack: WorkloadStack, cloud: Cloud): PlannedEnd => {
        const name = `${stack.workload}-${cloud}`;
        if (!ends.has(name)) {
            // A stack file that asks for another range than the plan's is refused here too, with the same message its own program gives.
            if (stack.networkCidr !== undefined)
                checkRequestedRange(stack.file, "multicloud:network.cidr", stack.networkCidr, stack.workload, environment, cloud, plan);
            ends.set(name, { name, stack, cloud, asn: linkAsn(environment, cloud, plan), ranges: plannedRanges(stack.workload, environment, cloud, plan) });
        }
        return ends.get(name)!;
    };
    const links = crossCloudCalls(stacks, environment).map(({ caller, callerCloud, callee, calleeCloud }) => {
        const from = endOf(caller, callerCloud);
        const to = endOf(callee, calleeCloud);
        return { name: `${from.name}-to-${to.name}`, caller: from, callee: to };
    });
    const names = links.map((l) => l.name);
    return { ends: [...ends.values()], links: links.filter((l, i) => names.indexOf(l.name) === i) };
}

/** Of two ends, the one on the cloud listed first takes the first address of each /30: AWS, which insists on it, always does. */
const speaksFirst = (a: Cloud, b: Cloud) => clouds.indexOf(a) < clouds.indexOf(b);

/**
 * A link's tunnels as each end sees them, for `outside` addresses on each end:
 * the tunnel layout's count, the inside /30s from the plan in tunnel order, and
 * each tunnel's key derived from the environment's key seed (a secret).
 */
export function plannedTunnels(
    link: PlannedLink,
    outside: { caller: number; callee: number },
    sharedKey: (t: number) => LinkTunnelSpec["sharedKey"],
    plan: AddressPlan = loadAddressPlan(),
): { caller: LinkTunnelSpec[]; callee: LinkTunnelSpec[] } {
    const count = tunnelLayout(outside.caller, outside.callee).length;
    const { caller, callee } = link;
    const cidrs = tunnelInsideRanges(caller.stack.workload, callee.stack.workload, caller.stack.environment, caller.cloud, callee.cloud, count, plan);
    const callerFirst = speaksFirst(caller.cloud, callee.cloud);
    const tunnels = cidrs.map((insideCidr, t) => {
        const [first, second] = insideAddresses(insideCidr);
        return { insideCidr, callerAddress: callerFirst ? first : second, calleeAddress: callerFirst ? second : first, sharedKey: sharedKey(t) };
    });
    return {
        caller: tunnels.map((t) => ({ insideCidr: t.insideCidr, insideAddress: t.callerAddress, peerInsideAddress: t.calleeAddress, sharedKey: t.sharedKey })),
        callee: tunnels.map((t) => ({ insideCidr: t.insideCidr, insideAddress: t.calleeAddress, peerInsideAddress: t.callerAddress, sharedKey: t.sharedKey })),
    };
}

/** The ciphers both ends of a link offer, strongest first (GCM where both do). */
export const linkCiphers = (link: PlannedLink) => agreedCiphers(link.caller.cloud, link.callee.cloud);

/**
 * A tunnel's pre-shared key: an HMAC-SHA256 of the link and tunnel under the
 * environment's seed, so ESC holds one secret per environment, no two tunnels
 * share a key, and a moved workload's new link gets new keys. 64 characters of
 * letters and digits, not starting with 0: what AWS, GCP and Alibaba Cloud accept.
 */
export function tunnelKey(seed: string, link: string, tunnel: number): string {
    return `k${createHmac("sha256", seed).update(`${link}/${tunnel}`).digest("hex").slice(0, 63)}`;
}
