/**
 * What a network rule admits, judged by meaning rather than spelling: port
 * ranges contain ports, "all" protocols admit every port, and IPv4 and IPv6
 * "anywhere" are both the internet. Every cloud's firewall policies use these.
 */

/** Ports an administrator logs in on: SSH and RDP. */
export const adminPorts = [22, 3389] as const;

/** Ports a public load balancer may serve to the internet. */
export const webPorts = [80, 443] as const;

export interface PortRange {
    from: number;
    to: number;
}

export const allPorts: PortRange = { from: 0, to: 65535 };

/** Protocol spellings that mean every protocol (so every port). */
const allProtocols = new Set(["-1", "all", "any", "*", "-1/-1"]);

export function isAllProtocols(protocol: unknown): boolean {
    return typeof protocol === "string" ? allProtocols.has(protocol.toLowerCase()) : protocol === -1;
}

/** True for a CIDR that covers the whole IPv4 or IPv6 internet. */
export function isInternet(cidr: unknown): boolean {
    if (typeof cidr !== "string") return false;
    const [addr, len] = cidr.trim().split("/");
    const prefix = len === undefined ? undefined : Number(len);
    if (prefix !== 0) return false;
    return addr.includes(":") || /^\d+\.\d+\.\d+\.\d+$/.test(addr);
}

/**
 * Parses a port spec in any form a cloud uses: 22, "22", "20-30", "20/30"
 * (Alibaba Cloud), "-1/-1", { from, to }. Undefined or empty means all ports.
 */
export function parsePortRange(spec: unknown): PortRange {
    if (spec === undefined || spec === null || spec === "") return allPorts;
    if (typeof spec === "number") return spec < 0 ? allPorts : { from: spec, to: spec };
    if (typeof spec === "object") {
        const { from, to } = spec as { from?: unknown; to?: unknown };
        const f = Number(from ?? 0);
        const t = Number(to ?? f);
        if (f < 0 || t < 0) return allPorts;
        return { from: Math.min(f, t), to: Math.max(f, t) };
    }
    // Unreadable, like a string that names no range: every port.
    if (typeof spec !== "string") return allPorts;
    const text = spec.trim();
    if (isAllProtocols(text)) return allPorts;
    const m = /^(-?\d+)\s*(?:[-/:]\s*(-?\d+))?$/.exec(text);
    if (!m) return allPorts;
    const f = Number(m[1]);
    const t = m[2] === undefined ? f : Number(m[2]);
    if (f < 0 || t < 0) return allPorts;
    return { from: Math.min(f, t), to: Math.max(f, t) };
}

export function rangeAdmits(range: PortRange, port: number): boolean {
    return range.from <= port && port <= range.to;
}

/** Ports of `candidates` that the range admits. */
export function admittedPorts(range: PortRange, candidates: readonly number[]): number[] {
    return candidates.filter((p) => rangeAdmits(range, p));
}

/** True when the range admits any port outside `allowed` (e.g. anything but 80/443). */
export function admitsOtherThan(range: PortRange, allowed: readonly number[]): boolean {
    const width = range.to - range.from + 1;
    const inside = allowed.filter((p) => rangeAdmits(range, p)).length;
    return width > inside;
}
