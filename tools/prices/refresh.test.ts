/**
 * The price refresh on recorded answers written from each API's documented
 * response schema, through the real transports: the AWS CLI (a stand-in `aws`
 * on the path that answers GetProducts from the recording as the API filters),
 * the Cloud Billing Catalog API over HTTPS and Alibaba Cloud's signed RPC client
 * (both against a local server). Nothing is fetched from a cloud.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { parseCatalogue } from "pulumi-offline-plan";
import { pricesFile } from "../../plan.config";
import { alicloudSource, bssApiVersion, bssClient } from "./alicloud";
import { awsSource, cliGetProducts } from "./aws";
import { gcpSource, httpListSkus } from "./gcp";
import { refreshCatalogue, reportMarkdown, usedRegions } from "./refresh";
import { alicloudShape, gcpShape } from "./shapes";
import type { PriceSource } from "./source";

const fixtures = path.join(__dirname, "fixtures");
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), "utf8");
const today = "2026-12-07";

/** An `aws` executable that answers `pricing get-products` as the API does: products whose attributes equal every TERM_MATCH filter. */
function standInAws(dir: string): { aws: string; calls: () => string[][] } {
    const log = path.join(dir, "calls.jsonl");
    const aws = path.join(dir, "aws");
    fs.writeFileSync(
        aws,
        `#!${process.execPath}
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
const arg = (name) => args[args.indexOf(name) + 1];
const filters = JSON.parse(arg("--filters"));
const all = JSON.parse(fs.readFileSync(${JSON.stringify(path.join(fixtures, "aws-products.json"))}, "utf8")).PriceList.map((p) => JSON.parse(p));
const match = (p) => p.serviceCode === arg("--service-code") && filters.every((f) => f.Type === "TERM_MATCH" && (f.Field === "productFamily" ? p.product.productFamily : p.product.attributes[f.Field]) === f.Value);
process.stdout.write(JSON.stringify({ FormatVersion: "aws_v1", PriceList: all.filter(match).map((p) => JSON.stringify(p)) }));
`,
        { mode: 0o755 },
    );
    return {
        aws,
        calls: () =>
            fs
                .readFileSync(log, "utf8")
                .trim()
                .split("\n")
                .map((l) => JSON.parse(l)),
    };
}

interface Recorded {
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
}

async function server(
    answer: (request: Recorded) => { status?: number; body: unknown },
): Promise<{ origin: string; requests: Recorded[]; close: () => Promise<void> }> {
    const requests: Recorded[] = [];
    const s = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            const recorded = { url: req.url!, headers: req.headers, body };
            requests.push(recorded);
            const { status = 200, body: out } = answer(recorded);
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(out));
        });
    });
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    return { origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, requests, close: () => new Promise((resolve) => s.close(() => resolve())) };
}

let dir: string;
let gcpServer: Awaited<ReturnType<typeof server>>;
let alicloudServer: Awaited<ReturnType<typeof server>>;
let stand: ReturnType<typeof standInAws>;
let sources: PriceSource[];

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
    stand = standInAws(dir);
    gcpServer = await server(({ url }) => ({
        body: JSON.parse(fixture(new URL(url, "http://x").searchParams.get("pageToken") === "page-2-token" ? "gcp-skus-page-2.json" : "gcp-skus-page-1.json")),
    }));
    const answers = JSON.parse(fixture("alicloud-prices.json"));
    alicloudServer = await server(({ body }) => {
        const form = new URLSearchParams(body);
        const type = /InstanceType:([^,]+)/.exec(form.get("ModuleList.1.Config") ?? "")?.[1];
        const { __status, ...answer } = answers[`${form.get("Region")} ${type}`] ?? {
            Code: "InvalidParameter",
            Message: "unknown",
            Success: false,
            __status: 400,
        };
        return { status: __status, body: answer };
    });
    const credentials = {
        ALIBABA_CLOUD_ACCESS_KEY_ID: "STS.NTestPricesKeyId",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "test-secret",
        ALIBABA_CLOUD_SECURITY_TOKEN: "CAIS-prices-token",
    };
    sources = [
        awsSource(cliGetProducts(stand.aws)),
        gcpSource(httpListSkus("ya29.test-access-token", `${gcpServer.origin}/v1`)),
        alicloudSource(bssClient(credentials, alicloudServer.origin)),
    ];
});
afterAll(async () => {
    await gcpServer.close();
    await alicloudServer.close();
});

const used = { aws: ["eu-west-1", "eu-central-1", "ap-east-2"], gcp: ["europe-west1", "europe-west3"], alicloud: ["eu-central-1"] };

describe("a refresh of the catalogue", () => {
    let result: Awaited<ReturnType<typeof refreshCatalogue>>;
    let refreshed: ReturnType<typeof parseCatalogue>;
    beforeAll(async () => {
        result = await refreshCatalogue(fixture("prices.yaml"), { sources, usedRegions: used, today });
        refreshed = parseCatalogue(result.text, "refreshed");
    }, 60_000);

    test("asks AWS's Price List Query API for Linux on-demand instances of each type in each region", () => {
        const call = stand
            .calls()
            .find((args) => args.includes("AmazonEC2") && args.join(" ").includes('"m6i.xlarge"') && args.join(" ").includes('"eu-west-1"'))!;
        expect(call.slice(0, 5)).toEqual(["pricing", "get-products", "--region", "us-east-1", "--service-code"]);
        const filters = Object.fromEntries(JSON.parse(call[call.indexOf("--filters") + 1]).map((f: { Field: string; Value: string }) => [f.Field, f.Value]));
        expect(filters).toMatchObject({
            instanceType: "m6i.xlarge",
            regionCode: "eu-west-1",
            operatingSystem: "Linux",
            tenancy: "Shared",
            capacitystatus: "Used",
        });
    });

    test("writes each changed price with the source that names its product and the date it was read", () => {
        expect(refreshed.prices.aws["eu-west-1"].instanceHour["m6i.xlarge"]).toEqual({
            usd: 0.2195,
            vcpu: 4,
            memoryGib: 16,
            source: "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/eu-west-1/index.json#XK9JHQ2F6GPH6E3C",
            date: today,
        });
        expect(refreshed.prices.aws["eu-west-1"].natGatewayHour).toEqual({
            usd: 0.048,
            source: "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/eu-west-1/index.json#M2YSHUBETB3JX4M4",
            date: today,
        });
        // The hourly load balancer price, not the per-LCU one of the same family.
        expect(refreshed.prices.aws["eu-west-1"].loadBalancerHour!.source).toMatch(/#E2N8HPXAY2VX9JTH$/);
        expect(refreshed.prices.aws["eu-west-1"].clusterHour).toMatchObject({ usd: 0.1, date: today });
        expect(result.report.changed).toEqual(
            expect.arrayContaining(["aws eu-west-1 m6i.xlarge: 0.214 -> 0.2195", "aws eu-west-1 natGatewayHour: 0.045 -> 0.048"]),
        );
    });

    test("leaves a price that has not changed as it was, its date included", () => {
        expect(refreshed.prices.aws["eu-west-1"].instanceHour["m6i.large"].date).toBe("2026-11-23");
        const line = (text: string) => text.split("\n").find((l) => l.includes("m6i.large:"));
        expect(line(result.text)).toBe(line(fixture("prices.yaml")));
        expect(result.text.split("\n")[0]).toBe(fixture("prices.yaml").split("\n")[0]);
    });

    test("prices a GCP machine type from its series' vCPU and memory SKUs in the region, on demand only", () => {
        // n2-standard-4: 4 vCPU × $0.034773 + 16 GiB × $0.004661 (the Spot and custom SKUs are not its price).
        expect(refreshed.prices.gcp["europe-west1"].instanceHour["n2-standard-4"]).toEqual({
            usd: 0.213668,
            vcpu: 4,
            memoryGib: 16,
            source: "https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus#C0CF-3E2B-2AC2,B1E0-D2E1-0D64",
            date: today,
        });
        expect(refreshed.prices.gcp["europe-west1"].instanceHour["e2-standard-2"].usd).toBe(0.073512);
        const [first, second] = gcpServer.requests;
        expect(first.headers.authorization).toBe("Bearer ya29.test-access-token");
        expect(new URL(first.url, "http://x").searchParams.get("currencyCode")).toBe("USD");
        expect(new URL(second.url, "http://x").searchParams.get("pageToken")).toBe("page-2-token");
        // Every page is read once, however many regions ask.
        expect(gcpServer.requests).toHaveLength(2);
    });

    test("prices an Alibaba Cloud instance type with a signed GetPayAsYouGoPrice for a Linux instance, in USD", () => {
        expect(refreshed.prices.alicloud["eu-central-1"].instanceHour["ecs.g7.xlarge"]).toMatchObject({ usd: 0.2016, vcpu: 4, memoryGib: 16, date: today });
        expect(refreshed.prices.alicloud["eu-central-1"].instanceHour["ecs.g7.xlarge"].source).toMatch(
            /^https:\/\/business\.ap-southeast-1\.aliyuncs\.com\/\?Action=GetPayAsYouGoPrice&ProductCode=ecs/,
        );
        const form = new URLSearchParams(alicloudServer.requests.find((r) => r.body.includes("ecs.g7.large%2C"))!.body);
        expect(
            Object.fromEntries(
                ["Action", "Version", "Region", "ModuleList.1.ModuleCode", "ModuleList.1.PriceType", "SecurityToken"].map((k) => [k, form.get(k)]),
            ),
        ).toEqual({
            Action: "GetPayAsYouGoPrice",
            Version: bssApiVersion,
            Region: "eu-central-1",
            "ModuleList.1.ModuleCode": "InstanceType",
            "ModuleList.1.PriceType": "Hour",
            SecurityToken: "CAIS-prices-token",
        });
        expect(form.get("ModuleList.1.Config")).toBe("InstanceType:ecs.g7.large,IoOptimized:IoOptimized,ImageOs:linux");
        expect(form.get("Signature")).toBeTruthy();
    });

    test("keeps a price the source does not give, and says so", () => {
        expect(refreshed.prices.aws["eu-west-1"].instanceHour["m5.large"]).toMatchObject({ usd: 0.107, date: "2026-11-23" });
        expect(refreshed.prices.aws["eu-west-1"].secretMonth).toMatchObject({ usd: 0.4, date: "2026-11-23" });
        expect(refreshed.prices.alicloud["eu-central-1"].instanceHour["ecs.g7.2xlarge"]).toMatchObject({ usd: 0.392, date: "2026-11-23" });
        expect(refreshed.prices.gcp["europe-west1"].sharedStorageGbMonth).toEqual({ BASIC_HDD: expect.objectContaining({ usd: 0.176 }) });
        expect(result.report.kept).toEqual(
            expect.arrayContaining([
                expect.stringMatching(/^aws eu-west-1 m5\.large: no price from .*; kept 0\.107 of 2026-11-23$/),
                expect.stringMatching(/^alicloud eu-central-1 ecs\.g7\.2xlarge:/),
            ]),
        );
    });

    test("adds a region a stack uses with what its source prices there, and nothing from another region", () => {
        expect(result.report.addedRegions).toEqual(["aws eu-central-1"]);
        expect(refreshed.prices.aws["eu-central-1"].instanceHour).toEqual({ "m6i.large": expect.objectContaining({ usd: 0.115, date: today }) });
        expect(refreshed.prices.aws["eu-central-1"].natGatewayHour).toBeUndefined();
        expect(result.report.missing).toEqual(
            expect.arrayContaining(["aws eu-central-1 m6i.xlarge: no price from the AWS Price List Query API (GetProducts)"]),
        );
    });

    test("reports a region a stack uses that its source has no prices for, and leaves it unpriced", () => {
        expect(result.report.regionsWithoutPrices).toEqual([expect.stringMatching(/^aws ap-east-2: /), expect.stringMatching(/^gcp europe-west3: /)]);
        expect(refreshed.prices.aws["ap-east-2"]).toBeUndefined();
        expect(refreshed.prices.gcp["europe-west3"]).toBeUndefined();
        expect(reportMarkdown(result.report, today)).toMatch(/### Regions the stacks use without prices[^\n]*\n\n- aws ap-east-2: /);
    });
});

test("a source that cannot be read keeps all its prices, and is reported; the others still refresh", async () => {
    const broken: PriceSource = {
        cloud: "aws",
        name: "the AWS Price List Query API (GetProducts)",
        read: async () => Promise.reject(new Error("Unable to locate credentials")),
    };
    const { text, report } = await refreshCatalogue(fixture("prices.yaml"), { sources: [broken, sources[2]], usedRegions: used, today });
    const refreshed = parseCatalogue(text, "refreshed");
    expect(refreshed.prices.aws).toEqual(parseCatalogue(fixture("prices.yaml"), "fixture").prices.aws);
    expect(report.failed).toEqual(expect.arrayContaining([expect.stringMatching(/^aws eu-west-1: .*could not be read \(Unable to locate credentials\)$/)]));
    expect(refreshed.prices.alicloud["eu-central-1"].instanceHour["ecs.g7.xlarge"].usd).toBe(0.2016);
}, 30_000);

test("a refresh that reads nothing new leaves data/prices.yaml byte for byte", async () => {
    const text = fs.readFileSync(pricesFile, "utf8");
    const silent: PriceSource = { cloud: "aws", name: "nothing", read: async () => ({ instanceHour: new Map(), others: {} }) };
    expect((await refreshCatalogue(text, { sources: [silent], usedRegions: {}, today })).text).toBe(text);
});

test("the regions the stacks use come from their stack files and the defaults", () => {
    const regions = usedRegions(path.join(__dirname, "../../stacks"), { aws: "eu-west-1", gcp: "europe-west1", alicloud: "eu-central-1" });
    expect(regions).toEqual({ aws: ["eu-west-1"], gcp: ["europe-west1"], alicloud: ["eu-central-1"] });
});

test("machine shapes read from their names", () => {
    expect([gcpShape("n2-standard-16"), gcpShape("e2-highmem-4"), gcpShape("n1-standard-2"), gcpShape("e2-micro")]).toEqual([
        { vcpu: 16, memoryGib: 64 },
        { vcpu: 4, memoryGib: 32 },
        { vcpu: 2, memoryGib: 7.5 },
        undefined,
    ]);
    expect([alicloudShape("ecs.g7.large"), alicloudShape("ecs.c7.2xlarge"), alicloudShape("ecs.r7.xlarge"), alicloudShape("ecs.hfg7.large")]).toEqual([
        { vcpu: 2, memoryGib: 8 },
        { vcpu: 8, memoryGib: 16 },
        { vcpu: 4, memoryGib: 32 },
        undefined,
    ]);
});
