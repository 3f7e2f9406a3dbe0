/**
 * The platform's floor for IPsec tunnels, judged by what a tunnel admits, in
 * every cloud's spelling: IKEv2 only; AES-256 (GCM or CBC); SHA-256 or stronger
 * for integrity and the IKE PRF; Diffie-Hellman group 14 or stronger, in IKE and
 * again for each child SA (perfect forward secrecy). A list left out is judged
 * by what the cloud admits when it is left out, never as "nothing admitted".
 */

/**
 * Diffie-Hellman groups of 2048-bit MODP or stronger, and the elliptic-curve
 * groups (RFC 8247): 14-18 MODP, 19-21 ECP, 31 Curve25519. Groups 1, 2 and 5
 * are too small; 22-24 are MODP groups with small subgroups that RFC 8247 tells
 * implementations not to use.
 */
export const strongDhGroups = new Set([14, 15, 16, 17, 18, 19, 20, 21, 31]);

/** What an admitted list lets in beyond the allowed: each item outside `allowed`, the list's default when it is left out or empty. */
export function beyond<T>(admitted: readonly T[] | undefined, allowed: (item: T) => boolean, whenUnset: readonly T[]): T[] {
    const list = admitted && admitted.length > 0 ? admitted : whenUnset;
    return list.filter((item) => !allowed(item));
}

/** "a, b and c" */
export const listed = (items: readonly unknown[]) => items.map(String).join(", ");
