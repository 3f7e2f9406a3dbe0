import { useMockRuntime } from "../../test/helpers/pulumi";
import { Network } from "./network";

const run = useMockRuntime();

test("dev: private subnets are eighths of the VPC in 2 zones, one NAT, flow logs kept", async () => {
    const net = new Network("ndev", { environment: "dev", cidr: "10.10.0.0/16", zoneCount: 2 });
    expect(net.privateCidrs).toEqual(["10.10.0.0/19", "10.10.32.0/19"]);
    const privates = await run.ofType("aws:ec2/subnet:Subnet", "ndev-private-");
    expect(privates.map((s) => s.plain.availabilityZone)).toEqual(["eu-west-1a", "eu-west-1b"]);
    for (const s of await run.ofType("aws:ec2/subnet:Subnet", "ndev")) expect(s.plain.mapPublicIpOnLaunch).toBe(false);
    const publics = await run.ofType("aws:ec2/subnet:Subnet", "ndev-public-");
    expect(publics.map((s) => s.plain.cidrBlock)).toEqual(["10.10.224.0/22", "10.10.228.0/22"]);
    expect(await run.ofType("aws:ec2/natGateway:NatGateway", "ndev")).toHaveLength(1);
    expect((await run.one("aws:ec2/flowLog:FlowLog", "ndev")).plain.trafficType).toBe("ALL");
    expect((await run.one("aws:cloudwatch/logGroup:LogGroup", "ndev")).plain.retentionInDays).toBe(30);
});

test("prod: a NAT gateway per zone, each private subnet routed through its own", async () => {
    new Network("nprod", { environment: "prod", cidr: "10.11.0.0/16", zoneCount: 3 });
    expect(await run.ofType("aws:ec2/natGateway:NatGateway", "nprod")).toHaveLength(3);
    const routes = await run.ofType("aws:ec2/route:Route", "nprod-private-default-");
    expect(new Set(routes.map((r) => r.plain.natGatewayId)).size).toBe(3);
});

test("rejects a CIDR that is not a /16 to /24 block", () => {
    expect(() => new Network("nbad1", { environment: "dev", cidr: "10.10.0.0/8", zoneCount: 2 })).toThrow(
        'Network: `cidr` must be an IPv4 network block from /16 to /24 (e.g. "10.16.0.0/16"), got "10.10.0.0/8": host bits are set (the block starts at 10.0.0.0/8).',
    );
});

test("rejects fewer than 2 zones", () => {
    expect(() => new Network("nbad2", { environment: "dev", cidr: "10.10.0.0/16", zoneCount: 1 })).toThrow(
        "Network: `zoneCount` must be a whole number from 2 to 6; got 1.",
    );
});
