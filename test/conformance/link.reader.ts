/**
 * What a cloud gives the link conformance case (link.case.ts): its raw
 * resources (or, on the private cloud, the edge router's parameters) read back
 * as neutral facts. Each cloud's reader is test/conformance/link.<cloud>.ts.
 */
import type { LinkCiphers, LinkConnection, LinkHandle, PrivateListenerHandle } from "../../components/contracts";
import type { TestResource } from "../helpers/pulumi";

export interface LinkEndFacts {
    /** The network the end's gateway joins, as its raw resources name it; undefined on the private cloud's edge. */
    network: string | undefined;
    /** The outside addresses of the end's gateway, where the end has them before any peer (the edge's, from configuration). */
    gatewayAddresses?: string[];
}

/** One tunnel of an end toward its peer. */
export interface TunnelFacts {
    insideCidr: string;
    /** This end's BGP address in the /30. */
    insideAddress: string;
    /** The peer's BGP address where this end names it; undefined where the cloud derives it from the /30 (AWS). */
    peerInsideAddress?: string;
    /** The peer's outside address the tunnel goes to. */
    peerAddress: string;
    /** This end's ASN and the peer's, as the tunnel's BGP states them. */
    asn: number;
    peerAsn: number;
    /** IKE versions the tunnel admits. */
    ikeVersions: string[];
    /** Neutral names of what the tunnel admits in phase 1 and 2. */
    encryption: LinkCiphers["encryption"][];
    /** Integrity algorithms named beside the encryption; none where GCM carries its own. */
    integrity: LinkCiphers["integrity"][];
    dhGroups: number[];
    pfsGroups: number[];
    /** The pre-shared key reaches the cloud only as a secret. */
    keyIsSecret: boolean;
}

export interface ConnectionFacts {
    /** Ranges the end tells this peer: exactly its own. */
    advertised: string[];
    /** Ranges the end sends into the tunnels, where it names them itself (static routes, traffic selectors); undefined where only BGP routes them. */
    routed?: string[];
    /** Private route tables given routes to the peer, on a cloud that routes per zone; undefined where BGP routes reach the network. */
    zonesRouted?: number;
    tunnels: TunnelFacts[];
}

export interface PrivateListenerFacts {
    /** The listener has no address reachable from the internet. */
    internal: boolean;
    /** Source ranges admitted. */
    admits: string[];
    /** It reaches the same service as the load balancer in front of the workload. */
    frontsLoadBalancer: boolean;
}

export interface LinkReader {
    end(resources: TestResource[], name: string, handle: LinkHandle): LinkEndFacts | Promise<LinkEndFacts>;
    connection(resources: TestResource[], name: string, connection: LinkConnection): ConnectionFacts | Promise<ConnectionFacts>;
    /** Undefined where the kit refuses a private listener. */
    privateListener?(resources: TestResource[], name: string, handle: PrivateListenerHandle): PrivateListenerFacts | Promise<PrivateListenerFacts>;
}

/** Inverts a kit's table of neutral names to its cloud's names. */
export function neutral<N extends string>(table: Record<N, string>, value: string): N {
    const found = (Object.entries(table) as [N, string][]).find(([, v]) => v === value);
    if (!found) throw new Error(`${value} is no name the kit uses`);
    return found[0];
}

export const ofType = (resources: TestResource[], type: string, name: string) =>
    resources.filter((r) => r.type === type && (r.name === name || r.name.startsWith(`${name}-`)));
