import { alicloudCiphers } from "../../components/alicloud/link";
import { containsSecret } from "pulumi-offline-plan/runtime";
import { offlineId } from "pulumi-offline-plan/runtime";
import { neutral, ofType, type LinkReader } from "./link.reader";

const group = (g: string) => Number(/^group(\d+)$/.exec(g)![1]);

const reader: LinkReader = {
    end(resources, name) {
        const [gateway] = ofType(resources, "alicloud:vpn/gateway:Gateway", name);
        return { network: gateway.plain.vpcId };
    },
    connection(resources, name) {
        const gateways = ofType(resources, "alicloud:vpn/customerGateway:CustomerGateway", name);
        const connections = ofType(resources, "alicloud:vpn/connection:Connection", name);
        return {
            advertised: [...new Set(connections.flatMap((c) => c.plain.localSubnets as string[]))],
            routed: [...new Set(connections.flatMap((c) => c.plain.remoteSubnets as string[]))],
            tunnels: connections.flatMap((c) =>
                c.plain.tunnelOptionsSpecifications.map((t: any, i: number) => {
                    const gateway = gateways.find((g) => offlineId(g.type, g.name) === t.customerGatewayId)!;
                    return {
                        insideCidr: t.tunnelBgpConfig.tunnelCidr,
                        insideAddress: t.tunnelBgpConfig.localBgpIp,
                        peerAddress: gateway.plain.ipAddress,
                        asn: Number(t.tunnelBgpConfig.localAsn),
                        peerAsn: Number(gateway.plain.asn),
                        ikeVersions: [t.tunnelIkeConfig.ikeVersion],
                        encryption: [t.tunnelIkeConfig.ikeEncAlg, t.tunnelIpsecConfig.ipsecEncAlg].map((a: string) => neutral(alicloudCiphers.encryption, a)),
                        integrity: [t.tunnelIkeConfig.ikeAuthAlg, t.tunnelIpsecConfig.ipsecAuthAlg].map((a: string) => neutral(alicloudCiphers.integrity, a)),
                        dhGroups: [group(t.tunnelIkeConfig.ikePfs)],
                        pfsGroups: [group(t.tunnelIpsecConfig.ipsecPfs)],
                        keyIsSecret: containsSecret(
                            (c.inputs.tunnelOptionsSpecifications as any)?.[i]?.tunnelIkeConfig?.psk ?? c.inputs.tunnelOptionsSpecifications,
                        ),
                    };
                }),
            ),
        };
    },
    privateListener(resources, name) {
        const [alb] = ofType(resources, "alicloud:alb/loadBalancer:LoadBalancer", name);
        const [acl] = ofType(resources, "alicloud:alb/acl:Acl", name);
        const [attachment] = ofType(resources, "alicloud:alb/listenerAclAttachment:ListenerAclAttachment", name);
        const [listener] = ofType(resources, "alicloud:alb/listener:Listener", name);
        return {
            internal: alb.plain.addressType === "Intranet",
            admits: attachment?.plain.aclType === "White" ? acl.plain.aclEntries.map((e: { entry: string }) => e.entry) : ["0.0.0.0/0"],
            frontsLoadBalancer: listener.plain.defaultActions.some((a: any) => (a.forwardGroupConfig?.serverGroupTuples ?? []).length > 0),
        };
    },
};
export default reader;
