/**
 * Alibaba Cloud: the BSS OpenAPI's `GetPayAsYouGoPrice` (version 2017-12-14,
 * the international endpoint, which answers in USD) for an ECS instance type's
 * hourly pay-as-you-go price in a region, signed by Alibaba Cloud's RPC client
 * with the environment's credentials (in the workflow, STS credentials from an
 * OIDC role).
 */
import RPCClient from "@alicloud/pop-core";
import { alicloudShape } from "./shapes";
import { roundPrice, type PriceSource, type Quote, type RegionQuotes } from "./source";

export const bssEndpoint = "https://business.ap-southeast-1.aliyuncs.com";
export const bssApiVersion = "2017-12-14";

export interface ModuleDetail {
    ModuleCode: string;
    OriginalCost: number;
    InvoiceDiscount?: number;
    CostAfterDiscount?: number;
    UnitPrice?: number;
}
export interface PayAsYouGoPriceResponse {
    Code: string;
    Message?: string;
    RequestId?: string;
    Success: boolean;
    Data?: { Currency: string; ModuleDetails: { ModuleDetail: ModuleDetail[] } | ModuleDetail[]; PromotionDetails?: unknown };
}

export type BssApi = Pick<RPCClient, "request">;

/** The RPC client with the environment's credentials: the ALIBABA_CLOUD_* names an OIDC login exports. */
export function bssClient(env: NodeJS.ProcessEnv, endpoint = bssEndpoint): BssApi {
    const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
    const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    if (!accessKeyId || !accessKeySecret)
        throw new Error(
            "no Alibaba Cloud credentials: the workflow's OIDC login sets ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN",
        );
    return new RPCClient({ accessKeyId, accessKeySecret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined, endpoint, apiVersion: bssApiVersion });
}

/** The request for one instance type's hourly price: a Linux, I/O-optimised instance of that type in the region. */
export function priceRequest(region: string, instanceType: string): Record<string, string> {
    return {
        ProductCode: "ecs",
        SubscriptionType: "PayAsYouGo",
        Region: region,
        "ModuleList.1.ModuleCode": "InstanceType",
        "ModuleList.1.Config": `InstanceType:${instanceType},IoOptimized:IoOptimized,ImageOs:linux`,
        "ModuleList.1.PriceType": "Hour",
    };
}

const detailsOf = (data: NonNullable<PayAsYouGoPriceResponse["Data"]>) =>
    Array.isArray(data.ModuleDetails) ? data.ModuleDetails : (data.ModuleDetails?.ModuleDetail ?? []);

export function alicloudSource(api: BssApi): PriceSource {
    return {
        cloud: "alicloud",
        name: "Alibaba Cloud's BSS OpenAPI (GetPayAsYouGoPrice)",
        async read(region, instanceTypes): Promise<RegionQuotes> {
            const instanceHour = new Map<string, Quote>();
            for (const instanceType of instanceTypes) {
                let response: PayAsYouGoPriceResponse;
                try {
                    response = await api.request<PayAsYouGoPriceResponse>("GetPayAsYouGoPrice", priceRequest(region, instanceType), { method: "POST" });
                } catch (err) {
                    // A type the region does not sell is refused with a parameter error: no price there, not a failure of the source.
                    if (/InvalidParameter|NotFound|InvalidConfig/i.test((err as { code?: string }).code ?? (err as Error).message)) continue;
                    throw err;
                }
                if (!response.Success || response.Data?.Currency !== "USD") continue;
                const module = detailsOf(response.Data).find((d) => d.ModuleCode === "InstanceType");
                if (!module || !(module.OriginalCost > 0)) continue;
                const query = new URLSearchParams({ Action: "GetPayAsYouGoPrice", ...priceRequest(region, instanceType) });
                instanceHour.set(instanceType, {
                    usd: roundPrice(module.OriginalCost),
                    source: `${bssEndpoint}/?${query.toString()}`,
                    ...alicloudShape(instanceType),
                });
            }
            return { instanceHour, others: {} };
        },
    };
}
