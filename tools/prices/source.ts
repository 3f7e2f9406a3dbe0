/**
 * What a cloud's price source answers for one region: the hourly on-demand price
 * of each instance type it knows there (with its shape), and the other
 * catalogue keys it can read. A type or key the source does not price in that
 * region is simply absent: the refresh never fills it from another region.
 */
export interface Quote {
    usd: number;
    /** Where the price was read: a public address that names the exact product or SKU. */
    source: string;
    vcpu?: number;
    memoryGib?: number;
}

/** The catalogue keys besides instance types that a source may read (data/prices.yaml). */
export const otherKeys = [
    "loadBalancerHour",
    "natGatewayHour",
    "publicIpHour",
    "sharedStorageGbMonth",
    "blockStorageGbMonth",
    "clusterHour",
    "secretMonth",
    "keyMonth",
] as const;
export type OtherKey = (typeof otherKeys)[number];

export interface RegionQuotes {
    instanceHour: Map<string, Quote>;
    others: Partial<Record<OtherKey, Quote>>;
}

export interface PriceSource {
    /** The cloud as the catalogue names it (`aws`, `gcp`, `alicloud`). */
    cloud: string;
    /** The public source, for the report (`the AWS Price List Query API`). */
    name: string;
    read(region: string, instanceTypes: string[]): Promise<RegionQuotes>;
}

/** A price as the catalogue keeps it: six significant digits at most, no trailing noise from a float. */
export function roundPrice(usd: number): number {
    return Number(usd.toPrecision(6));
}
