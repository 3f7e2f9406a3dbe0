import { awsCiphers } from "../../components/aws/link";
import { containsSecret } from "pulumi-offline-plan/runtime";
import { offlineId } from "pulumi-offline-plan/runtime";
import { neutral, ofType, type LinkReader, type TunnelFacts } from "./link.reader";

/** The first address of a /30: AWS's own end of each tunnel. */
const firstOf = (cidr: string) => cidr.replace(/\.(\d+)\/30$/, (_, n: string) => `.${Number(n) + 1}`);

const reader: LinkReader = {
    end(resources, name) {
        const [attachment] = ofType(resources, "aws:ec2transitgateway/vpcAttachment:VpcAttachment", name);
        return { network: attachment.plain.vpcId };
    },
    connection(resources, name) {
        // The transit gateway is the end's: the one every connection of the end uses.
        const [tgw] = resources.filter(
            (r) => r.type === "aws:ec2transitgateway/transitGateway:TransitGateway" && name.startsWith(`${r.name.replace(/-tgw$/, "")}-`),
        );
        const gateways = ofType(resources, "aws:ec2/customerGateway:CustomerGateway", name);
        const routes = ofType(resources, "aws:ec2/route:Route", name).map((r) => r.plain.destinationCidrBlock as string);
        const routed = [...new Set(routes)];
        const tunnels: TunnelFacts[] = ofType(resources, "aws:ec2/vpnConnection:VpnConnection", name).flatMap((c) => {
            const gateway = gateways.find((g) => offlineId(g.type, g.name) === c.plain.customerGatewayId)!;
            return ([1, 2] as const).map((n) => {
                const option = (key: string) => c.plain[`tunnel${n}${key}`];
                return {
                    insideCidr: option("InsideCidr"),
                    insideAddress: firstOf(option("InsideCidr")),
                    peerAddress: gateway.plain.ipAddress,
                    asn: Number(tgw.plain.amazonSideAsn),
                    peerAsn: Number(gateway.plain.bgpAsn),
                    ikeVersions: option("IkeVersions"),
                    encryption: [...option("Phase1EncryptionAlgorithms"), ...option("Phase2EncryptionAlgorithms")].map((a: string) =>
                        neutral(awsCiphers.encryption, a),
                    ),
                    integrity: [...option("Phase1IntegrityAlgorithms"), ...option("Phase2IntegrityAlgorithms")].map((a: string) =>
                        neutral(awsCiphers.integrity, a),
                    ),
                    dhGroups: option("Phase1DhGroupNumbers"),
                    pfsGroups: option("Phase2DhGroupNumbers"),
                    keyIsSecret: containsSecret(c.inputs[`tunnel${n}PresharedKey`]),
                };
            });
        });
        return {
            advertised: ofType(resources, "aws:ec2transitgateway/route:Route", name).map((r) => r.plain.destinationCidrBlock),
            routed,
            zonesRouted: routed.length > 0 ? routes.length / routed.length : 0,
            tunnels,
        };
    },
    privateListener(resources, name) {
        const [nlb] = ofType(resources, "aws:lb/loadBalancer:LoadBalancer", name);
        const [sg] = ofType(resources, "aws:ec2/securityGroup:SecurityGroup", name);
        const [group] = ofType(resources, "aws:lb/targetGroup:TargetGroup", name);
        return {
            internal: nlb.plain.internal === true,
            admits: sg.plain.ingress.flatMap((i: { cidrBlocks?: string[] }) => i.cidrBlocks ?? []),
            frontsLoadBalancer: group.plain.targetType === "alb" && ofType(resources, "aws:lb/targetGroupAttachment:TargetGroupAttachment", name).length === 1,
        };
    },
};
export default reader;
