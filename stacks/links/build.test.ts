/**
 * Both ends of each kind of link, built through the kits as the links stack
 * builds them, with the outside addresses each cloud assigns answered by the
 * mocks. Each value one end needs from the other (outside addresses, ASNs,
 * inside ranges and addresses, keys) is read from each end's raw resources (or
 * the edge router's parameters) and followed to the other end.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { Address4 } from "ip-address";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import type { Cloud, CloudKit, CreateKit, Environment, LinkConnection } from "../../components/contracts";
import { useMockRuntime, valueOf, type TestResource } from "../../test/helpers/pulumi";
import { planMocks, offlineId } from "pulumi-offline-plan/runtime";
import { addressPlanFile, parseAddressPlan } from "../address-plan";
import type { WorkloadName } from "../config";
import type { WorkloadStack } from "../peers";
import { buildEnds, buildLink, linkOutputs, type BuiltLink } from "./build";
import { planLinks, type PlannedEnd } from "./plan";

const run = useMockRuntime();
const idOf = (r: TestResource) => offlineId(r.type, r.name);

/** An address the cloud would assign, the same for a resource's name and field every time it is asked. */
const assigned = (name: string, field: string) => {
    const h = createHash("sha256").update(`${name}/${field}`).digest();
    return `198.18.${h[0]}.${1 + (h[1] % 254)}`;
};
/** What each cloud assigns a link's resources, beside what the plan's mocks give. */
function assignedOutputs(args: MockResourceArgs): Record<string, unknown> {
    switch (args.type) {
        case "aws:ec2/vpnConnection:VpnConnection":
            return {
                tunnel1Address: assigned(args.name, "tunnel1"),
                tunnel2Address: assigned(args.name, "tunnel2"),
                transitGatewayAttachmentId: `tgw-attach-${args.name}`,
            };
        case "gcp:compute/haVpnGateway:HaVpnGateway":
            return { vpnInterfaces: [0, 1].map((id) => ({ id, ipAddress: assigned(args.name, `interface${id}`) })) };
        case "alicloud:vpn/gateway:Gateway":
            return { internetIp: assigned(args.name, "internet"), disasterRecoveryInternetIp: assigned(args.name, "disaster-recovery") };
        default:
            return {};
    }
}

beforeAll(async () => {
    const mocks = planMocks({ preview: false });
    await pulumi.runtime.setMocks(
        {
            newResource: (args: MockResourceArgs) => {
                const result = mocks.newResource(args);
                return { ...result, state: { ...result.state, ...assignedOutputs(args) } };
            },
            call: (args) => mocks.call(args),
        },
        "multicloud",
        "links-test",
        false,
    );
});

/** The repository's plan, with inside ranges for pairs of workloads no stack file references yet. */
const plan = parseAddressPlan(
    `${fs.readFileSync(addressPlanFile, "utf8")}    transactional-backend: { prod: 169.254.40.0/25 }\n    analytics-backend: { prod: 169.254.48.0/25 }\n`,
    "data/address-plan.yaml",
);
const stackOf = (workload: WorkloadName, clouds: Cloud[], references: Record<string, string> = {}): WorkloadStack => ({
    name: `${workload}-prod`,
    file: `stacks/Pulumi.${workload}-prod.yaml`,
    workload,
    environment: "prod",
    clouds,
    references,
    zoneCount: 3,
    regions: { aws: "eu-west-1", gcp: "europe-west1", alicloud: "eu-central-1" },
    gcpProject: `marketplace-${workload}`,
    costCenter: `${workload}-marketplace`,
});

/* oxlint-disable typescript/no-require-imports -- a kit's module, and its provider SDK with it, loads only when a case builds on its cloud */
const createKits: Record<Cloud, () => CreateKit> = {
    aws: () => require("../../components/aws/kit").createKit,
    gcp: () => require("../../components/gcp/kit").createKit,
    alicloud: () => require("../../components/alicloud/kit").createKit,
    onprem: () => require("../../components/onprem/kit").createKit,
};
/* oxlint-enable typescript/no-require-imports */

const edgeAddresses = ["198.51.100.10", "198.51.100.11"];
const seed = "links-test-seed";

/** Builds the links of one pair of stacks as the program does, kits named apart per case. */
function build(scenario: string, caller: WorkloadStack, callee: WorkloadStack): { built: BuiltLink; ends: PlannedEnd[] } {
    const { ends, links } = planLinks([caller, callee], "prod", plan);
    const kits = new Map<Cloud, CloudKit>();
    const environment: Environment = "prod";
    const context = {
        environment,
        edgeAddresses,
        keySeed: pulumi.secret(seed),
        plan,
        kitOf: (end: PlannedEnd) => {
            if (!kits.has(end.cloud))
                kits.set(
                    end.cloud,
                    createKits[end.cloud]()({
                        environment,
                        name: `${scenario}-${end.cloud}`,
                        region: end.cloud === "onprem" ? "onprem" : end.stack.regions[end.cloud],
                        project: end.stack.gcpProject,
                    }),
                );
            return kits.get(end.cloud)!;
        },
        networkIdOf: (end: PlannedEnd) => pulumi.output(`network-of-${end.name}`),
    };
    const handles = buildEnds(ends, context);
    expect(links).toHaveLength(1);
    return { built: buildLink(links[0], handles, context), ends };
}

/** One end of one tunnel as its raw resources (or the edge's parameters) say it. */
interface TunnelEnd {
    outside: string;
    peerOutside: string;
    inside: string;
    peerInside?: string;
    asn: number;
    peerAsn: number;
    key: string;
}

const own = (all: TestResource[], type: string, prefix: string) => all.filter((r) => r.type === type && (r.name === prefix || r.name.startsWith(`${prefix}-`)));

/** Each end's tunnels, keyed by inside /30 (a tunnel's identity on both ends), read from the cloud's own resources. */
async function tunnelEnds(cloud: Cloud, endName: string, connectionName: string, connection: LinkConnection): Promise<Map<string, TunnelEnd>> {
    const all = await run.all();
    const tunnels = new Map<string, TunnelEnd>();
    const first = (cidr: string) => Address4.fromBigInt(new Address4(cidr).startAddress().bigInt() + 1n).correctForm();
    if (cloud === "aws") {
        const asn = Number(own(all, "aws:ec2transitgateway/transitGateway:TransitGateway", endName)[0].plain.amazonSideAsn);
        const gateways = own(all, "aws:ec2/customerGateway:CustomerGateway", connectionName);
        for (const c of own(all, "aws:ec2/vpnConnection:VpnConnection", connectionName)) {
            const gateway = gateways.find((g) => idOf(g) === c.plain.customerGatewayId)!;
            for (const n of [1, 2]) {
                const inside = c.plain[`tunnel${n}InsideCidr`];
                tunnels.set(inside, {
                    outside: assigned(c.name, `tunnel${n}`),
                    peerOutside: gateway.plain.ipAddress,
                    inside: first(inside),
                    asn,
                    peerAsn: Number(gateway.plain.bgpAsn),
                    key: c.plain[`tunnel${n}PresharedKey`],
                });
            }
        }
    } else if (cloud === "gcp") {
        const [gateway] = own(all, "gcp:compute/haVpnGateway:HaVpnGateway", endName);
        const asn = own(all, "gcp:compute/router:Router", endName)[0].plain.bgp.asn;
        const [external] = own(all, "gcp:compute/externalVpnGateway:ExternalVpnGateway", connectionName);
        const interfaces = own(all, "gcp:compute/routerInterface:RouterInterface", connectionName);
        const peers = own(all, "gcp:compute/routerPeer:RouterPeer", connectionName);
        for (const t of own(all, "gcp:compute/vPNTunnel:VPNTunnel", connectionName)) {
            expect(t.plain.vpnGateway).toBe(idOf(gateway));
            const iface = interfaces.find((i) => i.name === t.name)!;
            const peer = peers.find((p) => p.name === t.name)!;
            const inside = iface.plain.ipRange.replace(/\/30$/, "");
            const cidr = `${new Address4(iface.plain.ipRange).startAddress().correctForm()}/30`;
            tunnels.set(cidr, {
                outside: assigned(gateway.name, `interface${t.plain.vpnGatewayInterface}`),
                peerOutside: external.plain.interfaces[t.plain.peerExternalGatewayInterface].ipAddress,
                inside,
                peerInside: peer.plain.peerIpAddress,
                asn,
                peerAsn: peer.plain.peerAsn,
                key: t.plain.sharedSecret,
            });
        }
    } else if (cloud === "alicloud") {
        const [gateway] = own(all, "alicloud:vpn/gateway:Gateway", endName);
        const gateways = own(all, "alicloud:vpn/customerGateway:CustomerGateway", connectionName);
        for (const c of own(all, "alicloud:vpn/connection:Connection", connectionName)) {
            for (const t of c.plain.tunnelOptionsSpecifications) {
                const customer = gateways.find((g) => idOf(g) === t.customerGatewayId)!;
                tunnels.set(t.tunnelBgpConfig.tunnelCidr, {
                    outside: assigned(gateway.name, t.role === "master" ? "internet" : "disaster-recovery"),
                    peerOutside: customer.plain.ipAddress,
                    inside: t.tunnelBgpConfig.localBgpIp,
                    asn: Number(t.tunnelBgpConfig.localAsn),
                    peerAsn: Number(customer.plain.asn),
                    key: t.tunnelIkeConfig.psk,
                });
            }
        }
    } else {
        // The edge router is configuration: its end is the parameters rendered for its operators, and the keys apart.
        const { tunnels: rendered, asn, peerAsn } = connection.configuration;
        const keys = (await valueOf(linkOutputs([lastBuilt!]).edgeKeys)) as Record<string, string[]>;
        for (const [t, r] of rendered.entries()) {
            tunnels.set(r.insideCidr, {
                outside: await valueOf(r.outsideAddress),
                peerOutside: await valueOf(r.peerOutsideAddress),
                inside: r.insideAddress,
                peerInside: r.peerInsideAddress,
                asn,
                peerAsn,
                key: keys[connectionName][t],
            });
        }
    }
    return tunnels;
}

let lastBuilt: BuiltLink | undefined;

const cases: [string, WorkloadName, Cloud, WorkloadName, Cloud, number][] = [
    ["edge-alicloud", "partner", "onprem", "backend", "alicloud", 2],
    ["edge-aws", "partner", "onprem", "backend", "aws", 4],
    ["edge-gcp", "partner", "onprem", "backend", "gcp", 2],
    ["aws-gcp", "transactional", "aws", "backend", "gcp", 4],
    ["aws-alicloud", "transactional", "aws", "backend", "alicloud", 4],
    ["gcp-alicloud", "analytics", "gcp", "backend", "alicloud", 2],
];

describe.each(cases)("%s: %s on %s calls %s on %s", (scenario, callerWorkload, callerCloud, calleeWorkload, calleeCloud, tunnelCount) => {
    let ends: Record<"caller" | "callee", Map<string, TunnelEnd>>;
    beforeAll(async () => {
        run.reset();
        const caller = stackOf(callerWorkload, [callerCloud], { [calleeWorkload]: `${calleeWorkload}-prod` });
        const callee = stackOf(calleeWorkload, [calleeCloud]);
        const { built } = build(scenario, caller, callee);
        lastBuilt = built;
        const [a, b] = [`${callerWorkload}-${callerCloud}`, `${calleeWorkload}-${calleeCloud}`];
        ends = {
            caller: await tunnelEnds(callerCloud, a, `${a}-to-${b}`, built.caller),
            callee: await tunnelEnds(calleeCloud, b, `${b}-to-${a}`, built.callee),
        };
    });

    test(`${tunnelCount} tunnels, the same inside /30s on both ends, each from the plan's /28 of the pair`, () => {
        expect(ends.caller.size).toBe(tunnelCount);
        expect([...ends.callee.keys()].sort()).toEqual([...ends.caller.keys()].sort());
        for (const cidr of ends.caller.keys()) expect(cidr).toMatch(/^169\.254\.\d+\.\d+\/30$/);
    });

    test("each end's outside address is the other's peer address, tunnel by tunnel", () => {
        for (const [cidr, here] of ends.caller) {
            const there = ends.callee.get(cidr)!;
            expect([cidr, there.peerOutside]).toEqual([cidr, here.outside]);
            expect([cidr, here.peerOutside]).toEqual([cidr, there.outside]);
        }
    });

    test("each end's BGP address is the other's peer address, the two usable addresses of the /30; each end's ASN the other's peer ASN", () => {
        for (const [cidr, here] of ends.caller) {
            const there = ends.callee.get(cidr)!;
            expect(here.inside).not.toBe(there.inside);
            // An end that names its peer's inside address names the other end's.
            expect([undefined, here.inside]).toContain(there.peerInside);
            expect([undefined, there.inside]).toContain(here.peerInside);
            expect([here.asn, here.peerAsn]).toEqual([there.peerAsn, there.asn]);
        }
    });

    test("both ends of a tunnel hold the same key, and no two tunnels share one", () => {
        const keys = [...ends.caller].map(([cidr, here]) => {
            // Compared, never printed.
            expect(here.key === ends.callee.get(cidr)!.key).toBe(true);
            return here.key;
        });
        expect(new Set(keys).size).toBe(keys.length);
    });
});
