import { valueOf } from "../helpers/pulumi";
import type { LinkReader } from "./link.reader";

/** The private cloud's end is its edge router: no resources, the parameters its operators configure. */
const reader: LinkReader = {
    async end(_resources, _name, handle) {
        return { network: undefined, gatewayAddresses: await valueOf(handle.addresses) };
    },
    async connection(_resources, _name, connection) {
        const c = connection.configuration;
        return {
            advertised: c.advertised,
            routed: c.routed,
            tunnels: await Promise.all(
                c.tunnels.map(async (t) => ({
                    insideCidr: t.insideCidr,
                    insideAddress: t.insideAddress,
                    peerInsideAddress: t.peerInsideAddress,
                    peerAddress: await valueOf(t.peerOutsideAddress),
                    asn: c.asn,
                    peerAsn: c.peerAsn,
                    ikeVersions: [c.ike],
                    encryption: [c.ciphers.encryption],
                    integrity: [c.ciphers.integrity],
                    dhGroups: [c.ciphers.dhGroup],
                    pfsGroups: [c.ciphers.dhGroup],
                    // The operators' parameters hold no key at all: the links stack exports the keys apart, as one secret.
                    keyIsSecret: true,
                })),
            ),
        };
    },
};
export default reader;
