/**
 * AWS: the Price List Query API (`GetProducts`, served from us-east-1), read
 * through the AWS CLI, which signs with whatever credentials the environment
 * has (in the workflow, a role assumed through OIDC). Each product comes back
 * as a JSON document: its attributes and its on-demand terms, whose price
 * dimensions give the price per unit in USD.
 */
import { execFile } from "node:child_process";
import { roundPrice, type OtherKey, type PriceSource, type Quote, type RegionQuotes } from "./source";

export interface PriceDimension {
    unit: string;
    pricePerUnit: Record<string, string>;
    beginRange?: string;
    description?: string;
}
export interface PriceListProduct {
    product: { sku: string; productFamily?: string; attributes: Record<string, string> };
    serviceCode: string;
    terms: { OnDemand?: Record<string, { priceDimensions: Record<string, PriceDimension> }> };
}
export interface GetProductsResponse {
    FormatVersion?: string;
    /** Each product as a JSON string, as the API sends it. */
    PriceList: (string | PriceListProduct)[];
    NextToken?: string;
}

/** One GetProducts call with TERM_MATCH filters, all pages. */
export type GetProducts = (serviceCode: string, filters: Record<string, string>) => Promise<GetProductsResponse>;

/** The AWS CLI pages through every result itself and prints them as one document. */
export function cliGetProducts(aws = "aws"): GetProducts {
    return (serviceCode, filters) =>
        new Promise((resolve, reject) => {
            const terms = Object.entries(filters).map(([Field, Value]) => ({ Type: "TERM_MATCH", Field, Value }));
            const args = [
                "pricing",
                "get-products",
                "--region",
                "us-east-1",
                "--service-code",
                serviceCode,
                "--filters",
                JSON.stringify(terms),
                "--output",
                "json",
            ];
            execFile(aws, args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
                if (err) return reject(new Error(`aws pricing get-products --service-code ${serviceCode}: ${stderr.trim() || err.message}`));
                try {
                    resolve(JSON.parse(stdout) as GetProductsResponse);
                } catch (e) {
                    reject(new Error(`aws pricing get-products --service-code ${serviceCode}: not JSON (${(e as Error).message})`));
                }
            });
        });
}

const productsOf = (response: GetProductsResponse): PriceListProduct[] =>
    response.PriceList.map((p) => (typeof p === "string" ? (JSON.parse(p) as PriceListProduct) : p));

/** The on-demand price per unit of a product, in the given unit, above zero. */
function onDemand(product: PriceListProduct, units: string[]): number | undefined {
    for (const term of Object.values(product.terms.OnDemand ?? {})) {
        for (const d of Object.values(term.priceDimensions)) {
            const usd = Number(d.pricePerUnit.USD);
            if (units.includes(d.unit) && (d.beginRange ?? "0") === "0" && usd > 0) return usd;
        }
    }
    return undefined;
}

/** The public offer file of a service in a region, with the product's SKU: what anyone can open to check the price. */
const offerFile = (serviceCode: string, region: string, sku: string) =>
    `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${serviceCode}/current/${region}/index.json#${sku}`;

/** How each other catalogue key is found: the service, the filters, what else the product must be, and its unit. */
const otherQueries: Partial<
    Record<OtherKey, { service: string; filters: Record<string, string>; match?: (a: Record<string, string>) => boolean; units: string[] }>
> = {
    natGatewayHour: {
        service: "AmazonEC2",
        filters: { productFamily: "NAT Gateway" },
        match: (a) => (a.usagetype ?? "").endsWith("NatGateway-Hours"),
        units: ["Hrs"],
    },
    loadBalancerHour: {
        service: "AWSELB",
        filters: { productFamily: "Load Balancer-Application" },
        match: (a) => (a.usagetype ?? "").endsWith("LoadBalancerUsage"),
        units: ["Hrs"],
    },
    publicIpHour: {
        service: "AmazonVPC",
        filters: { group: "VPCPublicIPv4Address" },
        match: (a) => (a.usagetype ?? "").endsWith("PublicIPv4:InUseAddress"),
        units: ["Hrs"],
    },
    sharedStorageGbMonth: {
        service: "AmazonEFS",
        filters: { productFamily: "Storage", storageClass: "General Purpose" },
        match: (a) => (a.usagetype ?? "").endsWith("TimedStorage-ByteHrs"),
        units: ["GB-Mo"],
    },
    blockStorageGbMonth: { service: "AmazonEC2", filters: { productFamily: "Storage", volumeApiName: "gp3" }, units: ["GB-Mo"] },
    clusterHour: {
        service: "AmazonEKS",
        filters: {},
        match: (a) => (a.usagetype ?? "").endsWith("AmazonEKS-Hours:perCluster"),
        units: ["Hrs", "Hours", "hours"],
    },
};

export function awsSource(getProducts: GetProducts): PriceSource {
    return {
        cloud: "aws",
        name: "the AWS Price List Query API (GetProducts)",
        async read(region, instanceTypes): Promise<RegionQuotes> {
            const instanceHour = new Map<string, Quote>();
            for (const instanceType of instanceTypes) {
                const response = await getProducts("AmazonEC2", {
                    instanceType,
                    regionCode: region,
                    operatingSystem: "Linux",
                    tenancy: "Shared",
                    preInstalledSw: "NA",
                    capacitystatus: "Used",
                    licenseModel: "No License required",
                });
                // Linux on demand is the plain RunInstances operation; others carry a licence or a reservation.
                const product = productsOf(response).find(
                    (p) => (p.product.attributes.operation ?? "RunInstances") === "RunInstances" && onDemand(p, ["Hrs"]) !== undefined,
                );
                if (!product) continue;
                const memory = /^([\d.,]+)\s*GiB$/.exec(product.product.attributes.memory ?? "");
                instanceHour.set(instanceType, {
                    usd: roundPrice(onDemand(product, ["Hrs"])!),
                    source: offerFile("AmazonEC2", region, product.product.sku),
                    vcpu: Number(product.product.attributes.vcpu) || undefined,
                    memoryGib: memory ? Number(memory[1].replace(/,/g, "")) : undefined,
                });
            }
            const others: RegionQuotes["others"] = {};
            for (const [key, query] of Object.entries(otherQueries) as [OtherKey, NonNullable<(typeof otherQueries)[OtherKey]>][]) {
                const response = await getProducts(query.service, { ...query.filters, regionCode: region });
                const product = productsOf(response).find((p) => (query.match?.(p.product.attributes) ?? true) && onDemand(p, query.units) !== undefined);
                if (product) others[key] = { usd: roundPrice(onDemand(product, query.units)!), source: offerFile(query.service, region, product.product.sku) };
            }
            return { instanceHour, others };
        },
    };
}
