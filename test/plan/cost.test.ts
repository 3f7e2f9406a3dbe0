/**
 * This project's cost data as the offline plan reads it: the price catalogue and
 * the rate card (sources, shapes, every region the stacks use), and the budgets
 * read from the organisation stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { loadPrices, parseCatalogue, parseRateCards } from "pulumi-offline-plan";
import { loadBudgets, pricesFile, rateCardFile } from "../../plan.config";

const { catalogue, rateCards: rates } = loadPrices({ catalogue: pricesFile, rateCards: rateCardFile });

describe("budgets", () => {
    test("are read from the organisation stack's configuration, the same the clouds' budgets are created from", () => {
        const file = path.join(__dirname, "../../organization/Pulumi.organization.yaml");
        const loaded = loadBudgets(file);
        expect(loaded.length).toBeGreaterThan(0);
        const config = parseYaml(fs.readFileSync(file, "utf8")).config["multicloud-organization:budgets"];
        for (const b of loaded) expect(config[b.workload][b.environment][b.cloud]).toBe(b.monthlyUsd);
        expect(loadBudgets(path.join(__dirname, "no-such-file.yaml"))).toEqual([]);
    });
});

describe("the price catalogue and the rate card", () => {
    it("loads, and every price names its source page and date", () => {
        const text = fs.readFileSync(pricesFile, "utf8");
        const prices = text.split("\n").filter((l) => l.includes("usd:"));
        expect(prices.length).toBeGreaterThan(40);
        for (const line of prices) expect(line).toMatch(/source: https:\/\/\S+, date: \d{4}-\d{2}-\d{2} \}/);
    });

    it("records each instance type's shape, which prices an ECS task's share of an instance", () => {
        for (const [cloud, regions] of Object.entries(catalogue.prices)) {
            for (const prices of Object.values(regions)) {
                for (const [type, p] of Object.entries(prices.instanceHour))
                    expect([cloud, type, p.vcpu! > 0, p.memoryGib! > 0]).toEqual([cloud, type, true, true]);
            }
        }
    });

    it("rejects a price without a source", () => {
        const text = fs.readFileSync(pricesFile, "utf8").replace(/natGatewayHour: \{ usd: ([\d.]+), source: \S+,/, "natGatewayHour: { usd: $1,");
        expect(() => parseCatalogue(text, "prices.yaml")).toThrow(/Invalid price catalogue prices.yaml:\n.*prices\.aws\.eu-west-1\.natGatewayHour\.source/);
    });

    it("prices every region the stacks use, on every cloud a stack may be placed on", () => {
        const stacksDir = path.join(__dirname, "../../stacks");
        const used = fs
            .readdirSync(stacksDir)
            .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
            .flatMap((f) => {
                const regions = parseYaml(fs.readFileSync(path.join(stacksDir, f), "utf8"))?.config?.["multicloud:regions"] ?? {};
                return Object.keys(catalogue.defaults.regions).map((cloud) => `${cloud} ${regions[cloud] ?? catalogue.defaults.regions[cloud]}`);
            });
        expect(used.length).toBeGreaterThan(0);
        for (const where of new Set(used)) {
            const [cloud, region] = where.split(" ");
            expect([where, Boolean(catalogue.prices[cloud]?.[region])]).toEqual([where, true]);
        }
    });

    it("the rate card gives the private cloud a rate per vCPU-hour, GiB-hour and GB-month, each with its source and date", () => {
        expect(Object.keys(rates.onprem).sort()).toEqual(["memoryGibHour", "storageGbMonth", "vcpuHour"]);
        for (const r of Object.values(rates.onprem))
            expect(r).toMatchObject({ usd: expect.any(Number), source: expect.any(String), date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
        const text = fs.readFileSync(rateCardFile, "utf8").replace(/storageGbMonth: \{ usd: [\d.]+,/, "storageGbMonth: {");
        expect(() => parseRateCards(text, "rate-card.yaml")).toThrow(/Invalid rate card rate-card.yaml:\n.*onprem\.storageGbMonth\.usd/);
    });
});
