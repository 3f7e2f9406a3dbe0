import * as fs from "node:fs";
import * as path from "node:path";
import { Address4 } from "ip-address";
import { parse as parseYaml } from "yaml";
import { AddressPlanError, checkRequestedRange, loadAddressPlan, networkFor, parseAddressPlan } from "../stacks/address-plan";
import { ConfigError } from "../stacks/config";

const plan = loadAddressPlan();

const smallPlan = (networks: string) => `supernet: 10.0.0.0/8\nnetworks:\n${networks}`;

describe("the repository's address plan", () => {
    it("has no two ranges of any workload, environment or cloud that share an address", () => {
        // Independent of the module's own check: compare first and last addresses of every pair.
        const spans = plan.ranges.map((r) => {
            const block = new Address4(r.cidr);
            return { ...r, first: block.startAddress().bigInt(), last: block.endAddress().bigInt() };
        });
        const clashes = spans.flatMap((a, i) =>
            spans
                .slice(i + 1)
                .filter((b) => a.first <= b.last && b.first <= a.last)
                .map((b) => `${a.name} ${a.cidr} / ${b.name} ${b.cidr}`),
        );
        expect(plan.ranges.length).toBeGreaterThanOrEqual(32);
        expect(clashes).toEqual([]);
    });

    it("gives GKE secondary ranges for pods and services wherever a workload may run on GCP", () => {
        for (const workload of ["transactional", "analytics", "backend"] as const) {
            for (const environment of ["dev", "prod"] as const) {
                const gcp = networkFor(workload, environment, "gcp");
                expect(gcp.pods).toBeDefined();
                expect(gcp.services).toBeDefined();
            }
        }
    });

    it("has a network for every stack file's clouds, and agrees with any range a stack file asks for", () => {
        const stacksDir = path.join(__dirname, "..", "stacks");
        const files = fs.readdirSync(stacksDir).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
        expect(files.length).toBe(8);
        for (const file of files) {
            const config = parseYaml(fs.readFileSync(path.join(stacksDir, file), "utf8")).config;
            const cidr = config["multicloud:network"]?.cidr;
            for (const cloud of config["multicloud:clouds"]) {
                expect(networkFor(config["multicloud:workload"], config["multicloud:environment"], cloud).cidr).toMatch(/^10\.\d+\.0\.0\/16$/);
                if (cidr === undefined) continue;
                expect(() =>
                    checkRequestedRange(
                        `stacks/${file}`,
                        "multicloud:network.cidr",
                        cidr,
                        config["multicloud:workload"],
                        config["multicloud:environment"],
                        cloud,
                    ),
                ).not.toThrow();
            }
        }
    });

    it("keeps the partner workload's ranges on the private cloud only", () => {
        expect(networkFor("partner", "prod", "onprem").cidr).toBe("10.41.0.0/16");
        expect(() => networkFor("partner", "prod", "aws")).toThrow(/no network for partner\/prod\/aws.*networks\.partner\.prod\.aws/);
    });
});

describe("a malformed or overlapping plan", () => {
    it("names both entries of an overlap", () => {
        const text = smallPlan("  analytics:\n    dev:\n      gcp: { cidr: 10.20.0.0/16, pods: 10.20.128.0/17 }\n");
        expect(() => parseAddressPlan(text, "plan.yaml")).toThrow(AddressPlanError);
        expect(() => parseAddressPlan(text, "plan.yaml")).toThrow("analytics/dev/gcp = 10.20.0.0/16 overlaps analytics/dev/gcp pods = 10.20.128.0/17");
    });

    it("names a range overlapping across clouds and environments", () => {
        const text = smallPlan("  backend:\n    dev:\n      aws: { cidr: 10.30.0.0/15 }\n    prod:\n      gcp: { cidr: 10.31.0.0/16 }\n");
        expect(() => parseAddressPlan(text, "plan.yaml")).toThrow("backend/dev/aws = 10.30.0.0/15 overlaps backend/prod/gcp = 10.31.0.0/16");
    });

    it.each([
        ["10.20.0.0", "not a CIDR block"],
        ["10.300.0.0/16", "not a CIDR block"],
        ["10.20.1.0/16", "host bits are set"],
        ["192.168.0.0/16", "outside the supernet 10.0.0.0/8"],
    ])("rejects %s: %s", (cidr, why) => {
        const text = smallPlan(`  analytics:\n    dev:\n      gcp: { cidr: ${cidr} }\n`);
        expect(() => parseAddressPlan(text, "plan.yaml")).toThrow(`analytics/dev/gcp = ${cidr}: ${why}`);
    });

    it("rejects an unknown cloud or workload by its path", () => {
        const text = smallPlan("  analytics:\n    dev:\n      azure: { cidr: 10.20.0.0/16 }\n");
        expect(() => parseAddressPlan(text, "plan.yaml")).toThrow(/networks\.analytics\.dev: Unrecognized key: "azure"/);
    });
});

describe("a stack that asks for a range", () => {
    const check = (cidr: string) => () => checkRequestedRange("stacks/Pulumi.analytics-dev.yaml", "multicloud:network.cidr", cidr, "analytics", "dev", "gcp");

    it("passes with the planned range", () => {
        expect(check("10.20.0.0/16")).not.toThrow();
    });

    it("gets a ConfigError naming file, key, value and plan when the range is malformed", () => {
        expect(check("10.20.0.0/33")).toThrow(ConfigError);
        expect(check("10.20.0.0/33")).toThrow(
            'Invalid configuration in stacks/Pulumi.analytics-dev.yaml: multicloud:network.cidr = "10.20.0.0/33" is not a CIDR block',
        );
        expect(check("10.20.0.0/33")).toThrow("gives analytics/dev/gcp 10.20.0.0/16");
    });

    it("gets a ConfigError naming the entry it overlaps", () => {
        expect(check("10.30.0.0/15")).toThrow(ConfigError);
        expect(check("10.30.0.0/15")).toThrow(/overlaps backend\/dev\/alicloud \(10\.30\.0\.0\/16\).*gives analytics\/dev\/gcp 10\.20\.0\.0\/16/);
        // Its own GKE pod range is another range too.
        expect(check("10.120.0.0/16")).toThrow("overlaps analytics/dev/gcp pods (10.120.0.0/16)");
    });

    it("gets a ConfigError when a free range differs from the plan", () => {
        expect(check("10.99.0.0/16")).toThrow(ConfigError);
        expect(check("10.99.0.0/16")).toThrow("differs from the plan: the address plan (data/address-plan.yaml) gives analytics/dev/gcp 10.20.0.0/16");
    });
});
