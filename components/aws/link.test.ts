import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
import { offlineId } from "pulumi-offline-plan/runtime";
import type { LinkPeer } from "../contracts";
import { agreedCiphers } from "../core/link";
import { ConfigError } from "../core/errors";
import { Link } from "./link";
import { PrivateListener } from "./private-listener";
import * as aws from "@pulumi/aws";

const run = useMockRuntime();
const idOf = (r: { type: string; name: string }) => offlineId(r.type, r.name);
const keys = ["aws-key-0", "aws-key-1", "aws-key-2", "aws-key-3"];
/** Toward an HA VPN gateway: two peer addresses, so two VPN connections and four tunnels; AWS holds the first address of each /30. */
const gcpPeer = (changes: Partial<LinkPeer> = {}): LinkPeer => ({
    cloud: "gcp",
    asn: 64621,
    addresses: ["203.0.113.10", "203.0.113.11"],
    addressCount: 2,
    ranges: ["10.35.0.0/16", "10.135.0.0/16"],
    ciphers: agreedCiphers("aws", "gcp"),
    tunnels: [0, 4, 8, 12].map((offset, t) => ({
        insideCidr: `169.254.24.${offset}/30`,
        insideAddress: `169.254.24.${offset + 1}`,
        peerInsideAddress: `169.254.24.${offset + 2}`,
        sharedKey: pulumi.secret(keys[t]),
    })),
    ...changes,
});
const link = (name: string) => new Link(name, { environment: "prod", vpcId: "vpc-0backend", zoneCount: 3, asn: 64611, ranges: ["10.33.0.0/16"] });

describe("Link", () => {
    beforeAll(() => link("l1").connect("l1-to-gcp", gcpPeer()));

    test("a transit gateway with the plan's ASN, attaching and propagating nothing by default", async () => {
        const tgw = await run.one("aws:ec2transitgateway/transitGateway:TransitGateway", "l1");
        expect(tgw.plain).toMatchObject({
            amazonSideAsn: 64611,
            defaultRouteTableAssociation: "disable",
            defaultRouteTablePropagation: "disable",
            vpnEcmpSupport: "enable",
        });
        const attachment = await run.one("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "l1");
        expect(attachment.plain).toMatchObject({
            vpcId: "vpc-0backend",
            transitGatewayDefaultRouteTableAssociation: false,
            transitGatewayDefaultRouteTablePropagation: false,
        });
    });

    test("a customer gateway per peer address, with the peer's ASN, and a VPN connection of two tunnels on each", async () => {
        const gateways = await run.ofType("aws:ec2/customerGateway:CustomerGateway", "l1-to-gcp");
        expect(gateways.map((g) => [g.plain.ipAddress, g.plain.bgpAsn])).toEqual([
            ["203.0.113.10", "64621"],
            ["203.0.113.11", "64621"],
        ]);
        const connections = await run.ofType("aws:ec2/vpnConnection:VpnConnection", "l1-to-gcp");
        expect(connections.map((c) => [c.plain.tunnel1InsideCidr, c.plain.tunnel2InsideCidr])).toEqual([
            ["169.254.24.0/30", "169.254.24.4/30"],
            ["169.254.24.8/30", "169.254.24.12/30"],
        ]);
        expect(connections.map((c) => c.plain.customerGatewayId)).toEqual(gateways.map(idOf));
        for (const c of connections) expect(c.plain.staticRoutesOnly).toBe(false);
    });

    test("every tunnel: IKEv2 only, AES-256-GCM, SHA-512, group 20 in both phases (PFS), its own key as a secret", async () => {
        const connections = await run.ofType("aws:ec2/vpnConnection:VpnConnection", "l1-to-gcp");
        for (const c of connections) {
            for (const n of [1, 2]) {
                expect(c.plain[`tunnel${n}IkeVersions`]).toEqual(["ikev2"]);
                expect(c.plain[`tunnel${n}Phase1EncryptionAlgorithms`]).toEqual(["AES256-GCM-16"]);
                expect(c.plain[`tunnel${n}Phase2EncryptionAlgorithms`]).toEqual(["AES256-GCM-16"]);
                expect(c.plain[`tunnel${n}Phase1IntegrityAlgorithms`]).toEqual(["SHA2-512"]);
                expect(c.plain[`tunnel${n}Phase1DhGroupNumbers`]).toEqual([20]);
                expect(c.plain[`tunnel${n}Phase2DhGroupNumbers`]).toEqual([20]);
            }
            expect(c.hasSecretInput).toBe(true);
            for (const key of keys) expect(JSON.stringify(maskForDisplay(c.inputs))).not.toContain(key);
        }
        expect(connections.flatMap((c) => [c.plain.tunnel1PresharedKey, c.plain.tunnel2PresharedKey])).toEqual(keys);
    });

    test("the peer is told exactly this VPC's ranges, and each zone's private route table sends the peer's ranges to the transit gateway", async () => {
        const advertised = await run.ofType("aws:ec2transitgateway/route:Route", "l1-to-gcp");
        const attachment = await run.one("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "l1");
        expect(advertised.map((r) => [r.plain.destinationCidrBlock, r.plain.transitGatewayAttachmentId])).toEqual([["10.33.0.0/16", idOf(attachment)]]);
        const routes = await run.ofType("aws:ec2/route:Route", "l1-to-gcp");
        const tgw = await run.one("aws:ec2transitgateway/transitGateway:TransitGateway", "l1");
        expect(routes.map((r) => r.plain.destinationCidrBlock).sort((a, b) => a.localeCompare(b))).toEqual([
            "10.135.0.0/16",
            "10.135.0.0/16",
            "10.135.0.0/16",
            "10.35.0.0/16",
            "10.35.0.0/16",
            "10.35.0.0/16",
        ]);
        for (const r of routes) expect(r.plain.transitGatewayId).toBe(idOf(tgw));
    });

    test("the peer's VPN attachments learn into the VPC's route table, and are associated with a table of their own", async () => {
        const propagations = await run.ofType("aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation", "l1-to-gcp");
        const vpcTable = await run.one("aws:ec2transitgateway/routeTable:RouteTable", "l1-vpc");
        expect(propagations.map((p) => p.plain.transitGatewayRouteTableId)).toEqual([idOf(vpcTable), idOf(vpcTable)]);
        const peerTable = await run.one("aws:ec2transitgateway/routeTable:RouteTable", "l1-to-gcp");
        const associations = await run.ofType("aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation", "l1-to-gcp");
        expect(associations.map((a) => a.plain.transitGatewayRouteTableId)).toEqual([idOf(peerTable), idOf(peerTable)]);
    });
});

describe("Link refuses", () => {
    test("a tunnel that gives AWS's first /30 address to the peer", () => {
        const peer = gcpPeer();
        const swapped = { ...peer, tunnels: peer.tunnels.map((t) => ({ ...t, insideAddress: t.peerInsideAddress, peerInsideAddress: t.insideAddress })) };
        expect(() => link("l2").connect("l2-to-gcp", swapped)).toThrow(ConfigError);
        expect(() => link("l3").connect("l3-to-gcp", swapped)).toThrow(
            "AWS takes the first address of each tunnel's /30 for itself; tunnel 0 gives it 169.254.24.2",
        );
    });
    test("a peer whose tunnels do not match two per peer address", () => {
        const peer = gcpPeer();
        expect(() => link("l4").connect("l4-to-gcp", { ...peer, tunnels: peer.tunnels.slice(0, 2) })).toThrow("make 4 tunnels; the peer lists 2");
    });
});

describe("PrivateListener", () => {
    test("an internal network load balancer passing TCP 443 from the callers to the application load balancer", async () => {
        const listener = new aws.lb.Listener("pl-alb-https", { loadBalancerArn: "arn:alb", port: 443, protocol: "HTTPS", defaultActions: [] });
        const made = new PrivateListener("pl", {
            environment: "prod",
            vpcId: "vpc-1",
            vpcCidr: "10.33.0.0/16",
            subnetIds: ["subnet-a", "subnet-b"],
            loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/backend/1",
            httpsListener: listener,
            callers: ["10.41.0.0/16"],
        });
        const nlb = await run.one("aws:lb/loadBalancer:LoadBalancer", "pl-nlb");
        expect(nlb.plain).toMatchObject({ loadBalancerType: "network", internal: true, subnets: ["subnet-a", "subnet-b"], enableDeletionProtection: true });
        expect(nlb.plain.accessLogs.enabled).toBe(true);
        const sg = await run.one("aws:ec2/securityGroup:SecurityGroup", "pl-sg");
        expect(sg.plain.ingress).toEqual([expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.41.0.0/16"] })]);
        const group = await run.one("aws:lb/targetGroup:TargetGroup", "pl-alb");
        expect(group.plain).toMatchObject({ targetType: "alb", protocol: "TCP", port: 443 });
        const attachment = await run.one("aws:lb/targetGroupAttachment:TargetGroupAttachment", "pl-alb");
        expect(attachment.plain.targetId).toBe("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/backend/1");
        expect(await new Promise((resolve) => made.endpoint.apply(resolve))).toMatch(/^https:\/\//);
    });
    test("refuses a listener with no callers", () => {
        const listener = new aws.lb.Listener("pl2-https", { loadBalancerArn: "arn:alb", port: 443, protocol: "HTTPS", defaultActions: [] });
        expect(
            () =>
                new PrivateListener("pl2", {
                    environment: "dev",
                    vpcId: "v",
                    vpcCidr: "10.32.0.0/16",
                    subnetIds: ["a", "b"],
                    loadBalancerArn: "arn",
                    httpsListener: listener,
                    callers: [],
                }),
        ).toThrow("`callers` lists no range");
    });
});
