/** What the estimate charges for a link's resources, from the price catalogue's entries for them. */
import { estimateCost } from "../../plan.config";
import type { PlanResource } from "pulumi-offline-plan";

const resource = (type: string, inputs: Record<string, unknown>, name = type.split(":").pop()!): PlanResource =>
    ({ urn: `urn:pulumi:links-prod::multicloud-links::${type}::${name}`, type, name, custom: true, inputs }) as PlanResource;
const monthly = (r: PlanResource) => estimateCost([r]).byResource.find((p) => p.urn === r.urn)?.monthlyUsd;

test("an AWS VPN connection on a transit gateway: the connection and its attachment, by the hour", () => {
    expect(monthly(resource("aws:ec2/vpnConnection:VpnConnection", { type: "ipsec.1", customerGatewayId: "cgw", transitGatewayId: "tgw" }))).toBeCloseTo(
        (0.05 + 0.05) * 730,
        2,
    );
    expect(monthly(resource("aws:ec2/vpnConnection:VpnConnection", { type: "ipsec.1", customerGatewayId: "cgw", vpnGatewayId: "vgw" }))).toBeCloseTo(
        0.05 * 730,
        2,
    );
});

test("a VPC's transit gateway attachment: its hours and the catalogue's assumed GB of data processing", () => {
    const attachment = resource("aws:ec2transitgateway/vpcAttachment:VpcAttachment", { transitGatewayId: "tgw", vpcId: "vpc", subnetIds: ["a"] });
    expect(monthly(attachment)).toBeCloseTo(0.05 * 730 + 100 * 0.02, 2);
    expect(estimateCost([attachment]).byResource[0].basis).toContain("100 GB processed, assumed");
});

test("a GCP HA VPN tunnel by the hour; an Alibaba Cloud VPN gateway by the hour of its bandwidth; gateways, routers and routes free", () => {
    expect(monthly(resource("gcp:compute/vPNTunnel:VPNTunnel", { region: "europe-west1" }))).toBeCloseTo(0.05 * 730, 2);
    expect(monthly(resource("alicloud:vpn/gateway:Gateway", { bandwidth: 10, vpcId: "vpc" }))).toBeCloseTo(0.077 * 730, 2);
    const free = [
        "aws:ec2/customerGateway:CustomerGateway",
        "aws:ec2transitgateway/transitGateway:TransitGateway",
        "aws:ec2transitgateway/routeTable:RouteTable",
        "aws:ec2transitgateway/route:Route",
        "gcp:compute/haVpnGateway:HaVpnGateway",
        "gcp:compute/externalVpnGateway:ExternalVpnGateway",
        "gcp:compute/routerPeer:RouterPeer",
        "alicloud:vpn/customerGateway:CustomerGateway",
        "alicloud:vpn/connection:Connection",
    ].map((type) => resource(type, {}));
    const cost = estimateCost(free);
    expect([cost.unpriced, cost.monthlyUsd]).toEqual([[], 0]);
});

test("a gateway of a bandwidth the catalogue has no price for is reported, never priced as another", () => {
    expect(estimateCost([resource("alicloud:vpn/gateway:Gateway", { bandwidth: 200, vpcId: "vpc" })]).unpriced).toEqual(["alicloud:vpn/gateway:Gateway"]);
});
