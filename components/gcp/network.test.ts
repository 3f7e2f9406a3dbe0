import { useMockRuntime, valueOf } from "../../test/helpers/pulumi";
import { Network } from "./network";

const run = useMockRuntime();

test("carves nodes, services and pods ranges from the block, with Private Google Access and flow logs", async () => {
    const net = new Network("n1", { environment: "dev", region: "europe-west1", cidr: "10.20.0.0/16", zoneCount: 2 });
    const subnet = await run.one("gcp:compute/subnetwork:Subnetwork", "n1");
    expect(subnet.plain.ipCidrRange).toBe("10.20.0.0/20");
    expect(subnet.plain.secondaryIpRanges).toEqual([
        { rangeName: "pods", ipCidrRange: "10.20.128.0/17" },
        { rangeName: "services", ipCidrRange: "10.20.16.0/20" },
    ]);
    expect(subnet.plain.privateIpGoogleAccess).toBe(true);
    expect(subnet.plain.logConfig.metadata).toBe("INCLUDE_ALL_METADATA");
    expect(net.privateCidrs).toEqual(["10.20.0.0/20"]);
    expect((await run.one("gcp:compute/network:Network", "n1")).plain.autoCreateSubnetworks).toBe(false);
});

test("egress through Cloud NAT with logging; ingress only from inside, logged", async () => {
    new Network("n2", { environment: "dev", region: "europe-west1", cidr: "10.30.0.0/16", zoneCount: 2 });
    const nat = await run.one("gcp:compute/routerNat:RouterNat", "n2");
    expect(nat.plain.logConfig).toEqual({ enable: true, filter: "ERRORS_ONLY" });
    const firewall = await run.one("gcp:compute/firewall:Firewall", "n2");
    expect(firewall.plain.sourceRanges).not.toContain("0.0.0.0/0");
    expect(firewall.plain.logConfig.metadata).toBe("INCLUDE_ALL_METADATA");
});

test("takes the first zoneCount zones of the region from the provider", async () => {
    const net = new Network("n3", { environment: "prod", region: "europe-west1", cidr: "10.40.0.0/16", zoneCount: 3 });
    expect(await valueOf(net.zones)).toEqual(["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
});

test.each([
    ["10.20.0.0/24", /`cidr` must be an IPv4 network block from \/8 to \/20.*got "10.20.0.0\/24": a \/24/],
    ["10.20.0.1/16", /`cidr` must be an IPv4 network block.*host bits are set/],
    ["not-a-cidr", /`cidr` must be an IPv4 network block.*not a CIDR block/],
])("rejects cidr %s", (cidr, message) => {
    expect(() => new Network("bad", { environment: "dev", region: "europe-west1", cidr, zoneCount: 2 })).toThrow(message);
});

test("rejects a zoneCount outside 1..3", () => {
    expect(() => new Network("bad", { environment: "dev", region: "europe-west1", cidr: "10.20.0.0/16", zoneCount: 4 })).toThrow(
        "Network: `zoneCount` must be 1, 2 or 3, got 4.",
    );
});
