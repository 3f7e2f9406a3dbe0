/**
 * GCP: the Cloud Billing Catalog API's public SKUs of Compute Engine. A
 * predefined machine type has no SKU of its own: it is billed per vCPU-hour and
 * per GiB-hour of its series in its region ("N2 Instance Core running in
 * Belgium", "N2 Instance Ram running in Belgium"), so its price is its shape
 * times those two rates.
 */
import { gcpSeries, gcpShape } from "./shapes";
import { roundPrice, type PriceSource, type Quote, type RegionQuotes } from "./source";

/** Compute Engine's service id in the catalogue. */
export const computeEngineService = "6F81-5844-456A";
export const catalogApi = "https://cloudbilling.googleapis.com/v1";

export interface Money {
    currencyCode: string;
    units?: string | number;
    nanos?: number;
}
export interface Sku {
    name: string;
    skuId: string;
    description: string;
    category: { serviceDisplayName: string; resourceFamily: string; resourceGroup: string; usageType: string };
    serviceRegions: string[];
    pricingInfo: { effectiveTime: string; pricingExpression: { usageUnit: string; tieredRates: { startUsageAmount: number; unitPrice: Money }[] } }[];
}
export interface SkuPage {
    skus: Sku[];
    nextPageToken?: string;
}

/** One page of a service's SKUs (`pageToken` empty for the first). */
export type ListSkus = (pageToken: string) => Promise<SkuPage>;

/**
 * The catalogue over HTTPS with an OAuth access token (in the workflow, from
 * workload identity federation), in USD.
 */
export function httpListSkus(accessToken: string, base = catalogApi, service = computeEngineService): ListSkus {
    return async (pageToken) => {
        const url = new URL(`${base}/services/${service}/skus`);
        url.searchParams.set("currencyCode", "USD");
        url.searchParams.set("pageSize", "5000");
        if (pageToken) url.searchParams.set("pageToken", pageToken);
        const response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
        if (!response.ok) throw new Error(`GET ${url.origin}${url.pathname}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
        return (await response.json()) as SkuPage;
    };
}

const usd = (m: Money) => (m.currencyCode === "USD" ? Number(m.units ?? 0) + (m.nanos ?? 0) / 1e9 : undefined);

/** The first-tier on-demand rate of a SKU in its unit, when it is in USD. */
function rate(sku: Sku, unit: string): number | undefined {
    const expression = sku.pricingInfo[0]?.pricingExpression;
    if (!expression || expression.usageUnit !== unit) return undefined;
    const first = [...expression.tieredRates].sort((a, b) => a.startUsageAmount - b.startUsageAmount).find((t) => (usd(t.unitPrice) ?? 0) > 0);
    return first ? usd(first.unitPrice) : undefined;
}

export function gcpSource(listSkus: ListSkus): PriceSource {
    let all: Promise<Sku[]> | undefined;
    const skus = () =>
        (all ??= (async () => {
            const found: Sku[] = [];
            let token = "";
            do {
                const page = await listSkus(token);
                found.push(...page.skus);
                token = page.nextPageToken ?? "";
            } while (token);
            return found;
        })());
    return {
        cloud: "gcp",
        name: "the Cloud Billing Catalog API (Compute Engine SKUs)",
        async read(region, machineTypes): Promise<RegionQuotes> {
            const inRegion = (await skus()).filter(
                (s) => s.serviceRegions.includes(region) && s.category.resourceFamily === "Compute" && s.category.usageType === "OnDemand",
            );
            const instanceHour = new Map<string, Quote>();
            for (const machineType of machineTypes) {
                const shape = gcpShape(machineType);
                const series = gcpSeries(machineType);
                const core = inRegion.find((s) => s.description.startsWith(`${series} Instance Core running in `));
                const ram = inRegion.find((s) => s.description.startsWith(`${series} Instance Ram running in `));
                const perCore = core && rate(core, "h");
                const perGib = ram && rate(ram, "GiBy.h");
                if (!shape || perCore === undefined || perGib === undefined) continue;
                instanceHour.set(machineType, {
                    usd: roundPrice(shape.vcpu * perCore + shape.memoryGib * perGib),
                    source: `${catalogApi}/services/${computeEngineService}/skus#${core!.skuId},${ram!.skuId}`,
                    ...shape,
                });
            }
            return { instanceHour, others: {} };
        },
    };
}
