/**
 * CIDR arithmetic for every network and the address plan, on the `ip-address`
 * package: parsing, carving sub-blocks and overlap. Pure, no resources.
 */
import { Address4, Address6 } from "ip-address";

/** A parsed network block: host bits zero. */
export interface CidrBlock {
    /** 4 or 6. */
    version: 4 | 6;
    /** First address as a number. */
    start: bigint;
    /** Prefix length. */
    prefix: number;
    /** Canonical text, e.g. "10.16.0.0/16". */
    text: string;
}

const shape = /^[0-9a-fA-F.:]+\/\d{1,3}$/;

/** Parses "a.b.c.d/n" (or an IPv6 block) into a block, or returns what is wrong with it. */
export function parseCidr(cidr: unknown): CidrBlock | string {
    if (typeof cidr !== "string" || !shape.test(cidr)) return "not a CIDR block (expected e.g. 10.20.0.0/16)";
    const v6 = cidr.includes(":");
    let address: Address4 | Address6;
    try {
        address = v6 ? new Address6(cidr) : new Address4(cidr);
    } catch (err) {
        return `not a CIDR block: ${(err as Error).message}`;
    }
    const start = address.startAddress();
    if (start.correctForm() !== address.correctForm()) return `host bits are set (the block starts at ${start.correctForm()}/${address.subnetMask})`;
    return { version: v6 ? 6 : 4, start: start.bigInt(), prefix: address.subnetMask, text: `${start.correctForm()}/${address.subnetMask}` };
}

/**
 * An IPv4 network block whose prefix lies in [minPrefix, maxPrefix], or throws an
 * error that names the argument and what is allowed.
 */
export function ipv4Block(cidr: string, minPrefix: number, maxPrefix: number, what = "`cidr`"): CidrBlock {
    const block = parseCidr(cidr);
    if (typeof block === "string" || block.version !== 4 || block.prefix < minPrefix || block.prefix > maxPrefix) {
        const reason = typeof block === "string" ? block : block.version !== 4 ? "an IPv6 block" : `a /${block.prefix}`;
        throw new Error(
            `${what} must be an IPv4 network block from /${minPrefix} to /${maxPrefix} (e.g. "10.16.0.0/16"), got ${JSON.stringify(cidr)}: ${reason}.`,
        );
    }
    return block;
}

/** Whether the text is an IPv4 network block (host bits zero). */
export function isIpv4Block(cidr: string): boolean {
    const block = parseCidr(cidr);
    return typeof block !== "string" && block.version === 4;
}

const bits = (block: CidrBlock) => (block.version === 4 ? 32 : 128);

function format(version: 4 | 6, start: bigint, prefix: number): string {
    const address = version === 4 ? Address4.fromBigInt(start) : Address6.fromBigInt(start);
    return `${address.correctForm()}/${prefix}`;
}

/** The `index`-th block of `newPrefix` inside `block` ("10.0.0.0/16", 20, 1 -> "10.0.16.0/20"). */
export function subBlock(block: CidrBlock, newPrefix: number, index: number): string {
    if (!Number.isInteger(newPrefix) || newPrefix < block.prefix || newPrefix > bits(block)) {
        throw new Error(`subBlock: a /${newPrefix} does not fit inside ${block.text}.`);
    }
    const count = 2n ** BigInt(newPrefix - block.prefix);
    if (!Number.isInteger(index) || index < 0 || BigInt(index) >= count) {
        throw new Error(`subBlock: ${block.text} holds ${count} blocks of /${newPrefix}; index ${index} is outside.`);
    }
    return format(block.version, block.start + BigInt(index) * 2n ** BigInt(bits(block) - newPrefix), newPrefix);
}

const end = (block: CidrBlock) => block.start + 2n ** BigInt(bits(block) - block.prefix) - 1n;

/** True when two blocks share an address. */
export function overlaps(a: CidrBlock, b: CidrBlock): boolean {
    return a.version === b.version && a.start <= end(b) && b.start <= end(a);
}

/** True when `inner` lies wholly inside `outer`. */
export function contains(outer: CidrBlock, inner: CidrBlock): boolean {
    return outer.version === inner.version && outer.start <= inner.start && end(inner) <= end(outer);
}
