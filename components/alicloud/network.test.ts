import { useMockRuntime } from "../../test/helpers/pulumi";
import { Network } from "./network";

const run = useMockRuntime();

describe("Network", () => {
    test("splits the CIDR into one private vSwitch per zone, in distinct zones, and a NAT vSwitch", async () => {
        new Network("net-split", { environment: "prod", cidr: "10.30.0.0/16", zoneCount: 3 });
        const switches = await run.ofType("alicloud:vpc/switch:Switch", "net-split");
        const privates = switches.filter((s) => s.name.startsWith("net-split-private-"));
        expect(privates.map((s) => s.plain.cidrBlock)).toEqual(["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"]);
        expect(new Set(privates.map((s) => s.plain.zoneId))).toEqual(new Set(["eu-central-1a", "eu-central-1b", "eu-central-1c"]));
        expect(switches.find((s) => s.name === "net-split-nat")?.plain.cidrBlock).toBe("10.30.255.0/24");
    });

    test("sends every private vSwitch out through the NAT gateway's EIP", async () => {
        new Network("net-nat", { environment: "dev", cidr: "10.31.0.0/16", zoneCount: 2 });
        const nat = await run.one("alicloud:vpc/natGateway:NatGateway", "net-nat");
        expect(nat.plain.natType).toBe("Enhanced");
        const association = await run.one("alicloud:ecs/eipAssociation:EipAssociation", "net-nat");
        expect(association.plain.instanceType).toBe("Nat");
        const snat = await run.ofType("alicloud:vpc/snatEntry:SnatEntry", "net-nat");
        expect(snat).toHaveLength(2);
        for (const entry of snat) expect(entry.plain.sourceVswitchId).toBeTruthy();
    });

    test("turns on VPC flow logs for all traffic, kept longer in prod", async () => {
        new Network("net-logs-dev", { environment: "dev", cidr: "10.32.0.0/16", zoneCount: 2 });
        new Network("net-logs-prod", { environment: "prod", cidr: "10.33.0.0/16", zoneCount: 3 });
        const flow = await run.one("alicloud:vpc/flowLog:FlowLog", "net-logs-dev");
        expect(flow.plain).toMatchObject({ resourceType: "VPC", trafficType: "All", status: "Active" });
        expect((await run.one("alicloud:log/store:Store", "net-logs-dev")).plain.retentionPeriod).toBe(30);
        expect((await run.one("alicloud:log/store:Store", "net-logs-prod")).plain.retentionPeriod).toBe(180);
    });

    test("keeps the NAT gateway and its EIP from deletion in prod only", async () => {
        new Network("net-protect-prod", { environment: "prod", cidr: "10.34.0.0/16", zoneCount: 3 });
        new Network("net-protect-dev", { environment: "dev", cidr: "10.35.0.0/16", zoneCount: 2 });
        expect((await run.one("alicloud:vpc/natGateway:NatGateway", "net-protect-prod")).plain.deletionProtection).toBe(true);
        expect((await run.one("alicloud:ecs/eipAddress:EipAddress", "net-protect-prod")).plain.deletionProtection).toBe(true);
        expect((await run.one("alicloud:vpc/natGateway:NatGateway", "net-protect-dev")).plain.deletionProtection).toBe(false);
    });

    test("rejects a CIDR that is not an IPv4 block from /8 to /24", () => {
        expect(() => new Network("net-bad-cidr", { environment: "dev", cidr: "10.30.0.0/26", zoneCount: 2 })).toThrow(
            'Network: `cidr` must be an IPv4 network block from /8 to /24 (e.g. "10.16.0.0/16"), got "10.30.0.0/26": a /26.',
        );
        expect(() => new Network("net-bad-cidr2", { environment: "dev", cidr: "10.30.0.1/16", zoneCount: 2 })).toThrow(
            /`cidr` must be an IPv4 network block.*host bits are set/,
        );
    });

    test("rejects a zone count outside 2 to 6", () => {
        expect(() => new Network("net-bad-zones", { environment: "dev", cidr: "10.30.0.0/16", zoneCount: 1 })).toThrow(
            "Network: `zoneCount` must be a whole number from 2 to 6 (the ALB and a balanced scaling group need two zones), got 1.",
        );
    });
});
